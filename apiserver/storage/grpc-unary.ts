// Unary gRPC calls over one HTTP/2 connection, for the API server's etcd reads and writes.
//
// grpc-js builds a stack of call objects per call (interceptors, resolver, retry, load
// balancing, subchannel, filters) and captures a stack trace; on a write path of one etcd call per
// request that was the largest single CPU cost left. A unary call needs little of it: one request
// stream, a 5-byte length prefix, the reply's data and its grpc-status trailer (gRPC over HTTP/2,
// https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md). Watches and leases stay on
// the etcd3 client; the Watch stream (grpc-stream.ts) shares this client's connection.
//
// Failures: a call that cannot reach the server, breaks off or passes its deadline rejects with a
// GrpcError of code UNAVAILABLE (14) or DEADLINE_EXCEEDED (4); a server's non-OK status keeps its
// code and message. A broken connection is dropped and the next call dials again.

import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  constants,
  type IncomingHttpHeaders,
} from "node:http2";

export class GrpcError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${code} ${STATUS_NAMES[code] ?? "UNKNOWN"}: ${details}`);
  }
}

export const UNAVAILABLE = 14;
export const DEADLINE_EXCEEDED = 4;
const STATUS_NAMES: Record<number, string> = {
  1: "CANCELLED",
  2: "UNKNOWN",
  3: "INVALID_ARGUMENT",
  4: "DEADLINE_EXCEEDED",
  5: "NOT_FOUND",
  6: "ALREADY_EXISTS",
  7: "PERMISSION_DENIED",
  8: "RESOURCE_EXHAUSTED",
  9: "FAILED_PRECONDITION",
  10: "ABORTED",
  11: "OUT_OF_RANGE",
  12: "UNIMPLEMENTED",
  13: "INTERNAL",
  14: "UNAVAILABLE",
  15: "DATA_LOSS",
  16: "UNAUTHENTICATED",
};

const { HTTP2_HEADER_METHOD, HTTP2_HEADER_PATH, HTTP2_HEADER_CONTENT_TYPE, HTTP2_HEADER_TE } = constants;

export class GrpcUnaryClient {
  private session: ClientHttp2Session | undefined;
  private closed = false;
  /** When each connection last answered a call (performance.now()). */
  private readonly lastReply = new WeakMap<ClientHttp2Session, number>();

  /** `origin`: http://host:port or https://host:port. */
  constructor(private readonly origin: string) {}

  /** Sends `message` (already encoded) to `path` (/package.Service/Method); resolves with the reply's bytes. */
  call(path: string, message: Uint8Array, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new GrpcError(UNAVAILABLE, "client closed"));
        return;
      }
      const session = this.connection();
      let stream: ClientHttp2Stream;
      try {
        stream = session.request(requestHeaders(path));
      } catch (err) {
        this.drop(session);
        reject(new GrpcError(UNAVAILABLE, (err as Error).message));
        return;
      }
      let settled = false;
      const chunks: Buffer[] = [];
      let size = 0;
      let status: IncomingHttpHeaders | undefined;
      const settle = (err: GrpcError | undefined, body?: Buffer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
          reject(err);
        } else resolve(body!);
      };
      const sent = performance.now();
      const timer = setTimeout(() => {
        settle(new GrpcError(DEADLINE_EXCEEDED, `no reply within ${timeoutMs} ms`));
        // A connection that answered nothing at all in that time is likely dead: dial afresh.
        if ((this.lastReply.get(session) ?? 0) < sent) this.drop(session);
      }, timeoutMs);
      // Trailers-only replies (errors) carry grpc-status in the response headers.
      stream.on("response", (headers) => {
        this.lastReply.set(session, performance.now());
        if (headers["grpc-status"] !== undefined) status = headers;
        else if (headers[":status"] !== 200) {
          settle(new GrpcError(UNAVAILABLE, `HTTP status ${headers[":status"]} from ${this.origin}`));
        }
      });
      stream.on("trailers", (trailers) => {
        status = trailers;
      });
      stream.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
      });
      stream.on("end", () => {
        if (!status) {
          settle(new GrpcError(UNAVAILABLE, "the reply ended without a grpc-status"));
          return;
        }
        const failed = statusError(status);
        if (failed) {
          settle(failed);
          return;
        }
        const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        // One length-prefixed message: a compressed flag (never set: no compression is offered) and its length.
        if (data.length < 5 || data[0] !== 0 || data.readUInt32BE(1) !== data.length - 5) {
          settle(new GrpcError(13, "malformed reply message"));
          return;
        }
        settle(undefined, data.subarray(5));
      });
      stream.on("error", (err) => settle(new GrpcError(UNAVAILABLE, err.message)));
      stream.on("close", () => {
        if (!settled) settle(new GrpcError(UNAVAILABLE, `stream closed (code ${stream.rstCode})`));
      });
      stream.end(frame(message));
    });
  }

  close(): void {
    this.closed = true;
    const s = this.session;
    this.session = undefined;
    s?.close();
  }

  /** The open connection, dialled if there is none. */
  connection(): ClientHttp2Session {
    const s = this.session;
    if (s && !s.closed && !s.destroyed) return s;
    // Whole-resource lists are large replies (10,000 pods are ~8 MB): room beyond the 10 MB default.
    const session = connect(this.origin, { maxSessionMemory: 64 });
    // Errors reach each open stream; the connection only needs to be forgotten. After a GOAWAY
    // the calls in flight finish on it and new ones go to a new connection.
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on("error", forget);
    session.on("goaway", forget);
    session.on("close", forget);
    this.session = session;
    return session;
  }

  private drop(session: ClientHttp2Session): void {
    if (this.session === session) this.session = undefined;
    if (!session.destroyed) session.destroy();
  }
}

export function requestHeaders(path: string) {
  return {
    [HTTP2_HEADER_METHOD]: "POST",
    [HTTP2_HEADER_PATH]: path,
    [HTTP2_HEADER_CONTENT_TYPE]: "application/grpc",
    [HTTP2_HEADER_TE]: "trailers",
  };
}

/** One length-prefixed message: not compressed (0), its length, its bytes. */
export function frame(message: Uint8Array): Buffer {
  const framed = Buffer.allocUnsafe(5 + message.length);
  framed[0] = 0;
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, 5);
  return framed;
}

/** The error a grpc-status header or trailer reports; undefined for OK. */
export function statusError(status: IncomingHttpHeaders): GrpcError | undefined {
  const code = Number(status["grpc-status"]);
  return code === 0 ? undefined : new GrpcError(code, decodeMessage(status["grpc-message"]));
}

function decodeMessage(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? v.join(",") : (v ?? "");
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
