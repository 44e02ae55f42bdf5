// Unary gRPC calls over one HTTP/2 connection, for the API server's etcd reads and writes.
//
// grpc-js builds a stack of call objects per call (interceptors, resolver, retry, load
// balancing, subchannel, filters) and captures a stack trace; on a write path of one etcd call per
// request that was the largest single CPU cost left. A unary call needs little of it: one request
// stream, a 5-byte length prefix, the reply's data and its grpc-status trailer (gRPC over HTTP/2,
// https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md). node:http2's per-request
// machinery was the next largest cost, so the streams run on our own HTTP/2 connection
// (h2-connection.ts). Watches stay elsewhere (grpc-stream.ts on node:http2).
//
// Failures: a call that cannot reach the server, breaks off or passes its deadline rejects with a
// GrpcError of code UNAVAILABLE (14) or DEADLINE_EXCEEDED (4); a server's non-OK status keeps its
// code and message. A broken connection is dropped and the next call dials again; so is one that
// answered nothing while a call waited out its deadline.

import { H2Connection, type H2Stream, type H2Target, type StreamHandler } from "./h2-connection.js";
import { encodeHeaders, type HeaderList } from "./hpack.js";

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

export class GrpcUnaryClient {
  private conn: H2Connection | undefined;
  private closed = false;
  private readonly target: H2Target;
  private readonly authority: string;
  private readonly scheme: string;
  /** The request header block of each path: the same bytes for every call. */
  private readonly blocks = new Map<string, Buffer>();

  /** `origin`: http://host:port or https://host:port. */
  constructor(readonly origin: string) {
    const url = new URL(origin);
    const secure = url.protocol === "https:";
    this.target = {
      secure,
      host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: Number(url.port || (secure ? 443 : 80)),
    };
    this.authority = url.host;
    this.scheme = secure ? "https" : "http";
  }

  /** Sends `message` (already encoded) to `path` (/package.Service/Method); resolves with the reply's bytes. */
  call(path: string, message: Uint8Array, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new GrpcError(UNAVAILABLE, "client closed"));
        return;
      }
      let block = this.blocks.get(path);
      if (!block) {
        block = encodeHeaders(requestHeaders(this.scheme, this.authority, path));
        this.blocks.set(path, block);
      }
      const conn = this.connection();
      const call = new UnaryCall(this.origin, conn, resolve, reject, timeoutMs);
      call.stream = conn.request(block, frame(message), call);
    });
  }

  close(): void {
    this.closed = true;
    const c = this.conn;
    this.conn = undefined;
    c?.close();
  }

  /** The open connection, dialled if there is none or it takes no new streams. */
  private connection(): H2Connection {
    const c = this.conn;
    if (c?.accepting) return c;
    const conn = new H2Connection(this.target, (gone) => {
      if (this.conn === gone) this.conn = undefined;
    });
    this.conn = conn;
    return conn;
  }
}

/** One call: collects the reply, settles the promise once. */
class UnaryCall implements StreamHandler {
  stream: H2Stream | undefined;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private status: HeaderList | undefined;
  private responded = false;
  private settled = false;
  private readonly sent = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly origin: string,
    private readonly conn: H2Connection,
    private readonly resolve: (body: Buffer) => void,
    private readonly reject: (err: GrpcError) => void,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => {
      this.settle(new GrpcError(DEADLINE_EXCEEDED, `no reply within ${timeoutMs} ms`));
      // Nothing at all from the server since this call went out: the connection is likely dead
      // (dropping it also tells the client, through onGone, to dial anew).
      if (conn.lastReadAt < this.sent) conn.destroy("no reply from the server within a call's deadline");
    }, timeoutMs);
  }

  headers(fields: HeaderList, end: boolean): void {
    if (this.responded) this.status = fields;
    else {
      this.responded = true;
      // Trailers-only replies (errors) carry grpc-status in the response headers.
      if (field(fields, "grpc-status") !== undefined) this.status = fields;
      else {
        const code = field(fields, ":status");
        if (code !== "200") {
          this.settle(new GrpcError(UNAVAILABLE, `HTTP status ${code} from ${this.origin}`));
          return;
        }
      }
    }
    if (end) this.finish();
  }

  data(chunk: Buffer, end: boolean): void {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.size += chunk.length;
    }
    if (end) this.finish();
  }

  failed(message: string): void {
    this.settle(new GrpcError(UNAVAILABLE, message));
  }

  private finish(): void {
    const status = this.status;
    if (!status) {
      this.settle(new GrpcError(UNAVAILABLE, "the reply ended without a grpc-status"));
      return;
    }
    const failed = statusError(field(status, "grpc-status"), field(status, "grpc-message"));
    if (failed) {
      this.settle(failed);
      return;
    }
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    // One length-prefixed message: a compressed flag (never set: no compression is offered) and its length.
    if (data.length < 5 || data[0] !== 0 || data.readUInt32BE(1) !== data.length - 5) {
      this.settle(new GrpcError(13, "malformed reply message"));
      return;
    }
    this.settle(undefined, data.subarray(5));
  }

  private settle(err: GrpcError | undefined, body?: Buffer): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (err) {
      if (this.stream) this.conn.cancel(this.stream);
      this.reject(err);
    } else this.resolve(body!);
  }
}

function field(fields: HeaderList, name: string): string | undefined {
  for (const [n, v] of fields) if (n === name) return v;
  return undefined;
}

/** What every gRPC request says besides its pseudo-headers (PROTOCOL-HTTP2.md "Requests"). */
export const GRPC_REQUEST_HEADERS = { "content-type": "application/grpc", te: "trailers" } as const;

/** The request headers of a gRPC call on our own HTTP/2 connection. */
function requestHeaders(scheme: string, authority: string, path: string): HeaderList {
  return [
    [":method", "POST"],
    [":scheme", scheme],
    [":path", path],
    [":authority", authority],
    ...Object.entries(GRPC_REQUEST_HEADERS),
  ];
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
export function statusError(
  status: string | string[] | undefined,
  message: string | string[] | undefined,
): GrpcError | undefined {
  const code = Number(status);
  return code === 0 ? undefined : new GrpcError(code, decodeMessage(message));
}

function decodeMessage(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? v.join(",") : (v ?? "");
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
