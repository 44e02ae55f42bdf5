// A bidirectional gRPC stream over a node:http2 connection, for etcd's Watch: messages out are
// length-prefixed frames written to the request; messages in are cut from the reply's data as
// their length prefixes say (a message may span chunks, a chunk hold several). Unary calls run on
// a leaner HTTP/2 client (grpc-unary.ts); a few long-lived streams do not need one.
//
// The stream ends exactly once, through `end`: undefined after an OK status, a GrpcError for a
// server's status, UNAVAILABLE for a broken connection, CANCELLED (1) after close().

import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  constants,
  type IncomingHttpHeaders,
} from "node:http2";
import { frame, GRPC_REQUEST_HEADERS, GrpcError, statusError, UNAVAILABLE } from "./grpc-unary.js";

export const CANCELLED = 1;

export interface StreamHandlers {
  message(body: Buffer): void;
  end(err: GrpcError | undefined): void;
}

/** One node:http2 connection for streams to `origin`, dialled again when it broke or went away. */
export class GrpcStreamClient {
  private session: ClientHttp2Session | undefined;

  /** `origin`: http://host:port or https://host:port. */
  constructor(private readonly origin: string) {}

  connection(): ClientHttp2Session {
    const s = this.session;
    if (s && !s.closed && !s.destroyed) return s;
    // Bursts of events can be large (objects up to etcd's 1.5 MiB each): room beyond the 10 MB default.
    const session = connect(this.origin, { maxSessionMemory: 64 });
    // Errors reach each open stream; the connection only needs to be forgotten. After a GOAWAY
    // the streams open finish on it and new ones go to a new connection.
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on("error", forget);
    session.on("goaway", forget);
    session.on("close", forget);
    this.session = session;
    return session;
  }

  close(): void {
    const s = this.session;
    this.session = undefined;
    s?.close();
  }
}

export class GrpcStream {
  private readonly stream: ClientHttp2Stream;
  private readonly end: (err: GrpcError | undefined) => void;
  private ended = false;
  private pending: Buffer = Buffer.alloc(0);
  private status: IncomingHttpHeaders | undefined;

  constructor(client: GrpcStreamClient, path: string, h: StreamHandlers) {
    const end = (err: GrpcError | undefined) => {
      if (this.ended) return;
      this.ended = true;
      if (!this.stream.closed) this.stream.close(constants.NGHTTP2_CANCEL);
      h.end(err);
    };
    this.end = end;
    let stream: ClientHttp2Stream;
    try {
      // node:http2 adds :scheme and :authority itself.
      stream = client.connection().request({ ":method": "POST", ":path": path, ...GRPC_REQUEST_HEADERS });
    } catch (err) {
      // The session was already going away: report it on the next tick, as a stream error would be.
      this.stream = { closed: true } as ClientHttp2Stream;
      queueMicrotask(() => end(new GrpcError(UNAVAILABLE, (err as Error).message)));
      return;
    }
    this.stream = stream;
    stream.on("response", (headers) => {
      if (headers["grpc-status"] !== undefined) this.status = headers;
      else if (headers[":status"] !== 200)
        end(new GrpcError(UNAVAILABLE, `HTTP status ${headers[":status"]}`));
    });
    stream.on("trailers", (trailers) => {
      this.status = trailers;
    });
    stream.on("data", (chunk: Buffer) => {
      this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
      while (!this.ended && this.pending.length >= 5) {
        const len = this.pending.readUInt32BE(1);
        if (this.pending.length < 5 + len) break;
        if (this.pending[0] !== 0) {
          end(new GrpcError(13, "compressed message (no compression was offered)"));
          return;
        }
        const body = this.pending.subarray(5, 5 + len);
        this.pending = this.pending.subarray(5 + len);
        h.message(body);
      }
    });
    stream.on("end", () =>
      end(
        this.status
          ? statusError(this.status["grpc-status"], this.status["grpc-message"])
          : new GrpcError(UNAVAILABLE, "the stream ended without a grpc-status"),
      ),
    );
    stream.on("error", (err) => end(new GrpcError(UNAVAILABLE, err.message)));
    stream.on("close", () => end(new GrpcError(UNAVAILABLE, `stream closed (code ${stream.rstCode})`)));
  }

  send(message: Uint8Array): void {
    if (!this.ended) this.stream.write(frame(message));
  }

  /**
   * The connection under this stream stopped answering (no FIN, no RST: a dead peer or a partition):
   * drops the whole connection, so this and every other stream on it end UNAVAILABLE and the next
   * one dials afresh.
   */
  abandon(why: string): void {
    if (this.ended) return;
    const session = this.stream.session;
    this.end(new GrpcError(UNAVAILABLE, why));
    session?.destroy();
  }

  /** Ends the stream from this side; `end` is called with CANCELLED. */
  close(): void {
    this.end(new GrpcError(CANCELLED, "closed by the client"));
  }
}
