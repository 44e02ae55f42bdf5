// One-shot calls (every RestClient call but watch) over a pool of keep-alive HTTP/1.1 connections
// per origin, written and read directly on node:net sockets. node:http's client builds a
// ClientRequest, an IncomingMessage stream and agent bookkeeping per call, about 0.16 ms of CPU
// each; a scheduler makes two calls per pod (a binding and an Event), so that was a quarter of
// its CPU per pod. A one-shot call needs little of it: write the request in one piece, read the
// status, the headers and a Content-Length or chunked body (RFC 9112), hand the connection back.
//
// Same contract as http-transport.ts (the answer arrives whole here, so the deadline covers the
// body too); plain http: only, https: goes through node:https. A connection idle longer than the
// server's Keep-Alive timeout (less a second, 4 s without one) is closed, so a reused connection
// is not one the server is closing; a request is never sent twice.

import { connect, type Socket } from "node:net";
import { type HttpRequest, type HttpResponse, TimeoutError, type Transport } from "./http-transport.js";

/** How long an idle connection is kept for reuse when the server named no Keep-Alive timeout. */
export const DEFAULT_IDLE_MS = 4000;

/**
 * How long an idle connection may wait for its next request: the server's Keep-Alive timeout less
 * a second, so a reused connection is not one the server is closing; `current` when the answer
 * named none. Shared with http1-pipeline.ts.
 */
export function reuseWindowMs(keepAliveMs: number | undefined, current: number): number {
  return keepAliveMs === undefined ? current : Math.max(0, keepAliveMs - 1000);
}
const EMPTY = Buffer.alloc(0);

/** A pool of idle connections per origin ("host:port"). */
const idle = new Map<string, Connection[]>();

export const http1PoolTransport: Transport = (r) => {
  if (r.signal?.aborted) return Promise.reject(r.signal.reason);
  const req = requestOnTheWire(r, "http1PoolTransport");
  if (req instanceof Error) return Promise.reject(req);
  const conn = idle.get(req.origin)?.pop() ?? new Connection(req.origin, req.host, req.port);
  return conn.exchange(req.wire, r.method === "HEAD", r.timeoutMs, r.signal);
};

/** Where a request goes and its bytes (head and body), or why it cannot be sent. Shared with http1-pipeline.ts. */
export function requestOnTheWire(
  r: HttpRequest,
  who: string,
): { origin: string; host: string; port: number; wire: string } | Error {
  const url = new URL(r.url);
  if (url.protocol !== "http:") return new TypeError(`${who}: ${url.protocol} URL`);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const port = Number(url.port || 80);
  let head = `${r.method} ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  for (const [k, v] of Object.entries(r.headers)) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) return new TypeError(`invalid header ${k}`);
    head += `${k}: ${v}\r\n`;
  }
  if (r.body !== undefined) head += `content-length: ${Buffer.byteLength(r.body)}\r\n`;
  return { origin: `${url.hostname}:${port}`, host, port, wire: `${head}\r\n${r.body ?? ""}` };
}

/** A whole answer in the shape callers of a Transport read. Shared with http1-pipeline.ts. */
export function httpResponseOf(answer: ParsedAnswer): HttpResponse {
  const text = answer.body.toString("utf8");
  return {
    status: answer.status,
    body: (async function* () {
      yield answer.body;
    })(),
    text: () => Promise.resolve(text),
  };
}

class Connection {
  private readonly socket: Socket;
  private idleTimer: NodeJS.Timeout | undefined;
  private idleMs = DEFAULT_IDLE_MS;
  private parser: ResponseParser | undefined;
  private fail: ((err: Error) => void) | undefined;

  constructor(
    private readonly origin: string,
    host: string,
    port: number,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on("data", (d: Buffer) => this.onData(d));
    this.socket.on("error", (err) => this.fail?.(err));
    this.socket.on("end", () => this.forget());
    this.socket.on("close", () => {
      this.forget();
      this.fail?.(new Error("connection closed before the answer was complete"));
    });
  }

  exchange(wire: string, head: boolean, timeoutMs?: number, signal?: AbortSignal): Promise<HttpResponse> {
    clearTimeout(this.idleTimer);
    this.forget();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => this.fail?.(signal!.reason);
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.fail = undefined;
        this.parser = undefined;
      };
      this.fail = (err) => {
        settle();
        this.socket.destroy();
        reject(err);
      };
      this.parser = new ResponseParser(head, (answer, reusable) => {
        settle();
        if (reusable) this.release(answer.keepAliveMs);
        else this.socket.destroy();
        resolve(httpResponseOf(answer));
      });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => this.fail?.(new TimeoutError(timeoutMs)), timeoutMs);
        timer.unref();
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      this.socket.write(wire);
    });
  }

  private onData(d: Buffer): void {
    if (!this.parser) {
      // Bytes nobody asked for: the connection cannot be trusted any more.
      this.socket.destroy();
      return;
    }
    try {
      this.parser.push(d);
    } catch (err) {
      this.fail?.(err as Error);
    }
  }

  /** Back to the pool until the server would close it. */
  private release(keepAliveMs: number | undefined): void {
    this.idleMs = reuseWindowMs(keepAliveMs, this.idleMs);
    if (this.idleMs === 0) {
      this.socket.destroy();
      return;
    }
    const list = idle.get(this.origin) ?? [];
    list.push(this);
    idle.set(this.origin, list);
    this.socket.unref();
    this.idleTimer = setTimeout(() => this.socket.destroy(), this.idleMs);
    this.idleTimer.unref();
  }

  private forget(): void {
    this.socket.ref();
    const list = idle.get(this.origin);
    const i = list?.indexOf(this) ?? -1;
    if (i >= 0) list!.splice(i, 1);
  }
}

export interface ParsedAnswer {
  status: number;
  body: Buffer;
  /** The server's Keep-Alive timeout, if it named one. */
  keepAliveMs?: number;
}

/**
 * Reads one HTTP/1.1 answer as its bytes arrive: interim 1xx answers are skipped; the body is
 * Content-Length, chunked, or (neither) everything until the server closes, which this parser
 * refuses (the connection could not be reused, and k8ts' API server always frames its answers).
 * `done(answer, reusable)` is called once.
 */
export class ResponseParser {
  private buf: Buffer = Buffer.alloc(0);
  private status = 0;
  private keepAliveMs: number | undefined;
  private close = false;
  /** Body framing once the head is read. */
  private body:
    | { kind: "length"; remaining: number }
    /** remaining: data bytes of the current chunk still to come; then its CRLF (crlf) or a size line. */
    | { kind: "chunked"; remaining: number; crlf: boolean }
    | undefined;
  private readonly parts: Buffer[] = [];
  private finished = false;

  constructor(
    private readonly headRequest: boolean,
    private readonly done: (answer: ParsedAnswer, reusable: boolean) => void,
  ) {}

  push(d: Buffer): void {
    if (this.pushSome(d).length) throw new Error("bytes after the answer");
  }

  /**
   * Like push, for a connection that carries several answers back to back (pipelining): the bytes
   * after this answer, once it is complete, are returned for the next one (empty until then).
   */
  pushSome(d: Buffer): Buffer {
    if (this.finished) throw new Error("bytes after the answer");
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    while (!this.finished) {
      if (!this.body) {
        if (!this.readHead()) return EMPTY;
      } else if (this.body.remaining > 0) {
        // Body bytes are taken as they come (a large list is not copied again with each packet).
        const take = Math.min(this.body.remaining, this.buf.length);
        if (take === 0) return EMPTY;
        this.parts.push(this.buf.subarray(0, take));
        this.buf = this.buf.subarray(take);
        this.body.remaining -= take;
      } else if (this.body.kind === "length") {
        this.finish();
      } else if (!this.readChunked(this.body)) return EMPTY;
    }
    const rest = this.buf;
    this.buf = EMPTY;
    return rest;
  }

  /** Reads the head; false while it is incomplete. */
  private readHead(): boolean {
    const end = this.buf.indexOf("\r\n\r\n");
    if (end < 0) {
      if (this.buf.length > 64 * 1024) throw new Error("answer head too large");
      return false;
    }
    const lines = this.buf.toString("latin1", 0, end).split("\r\n");
    this.buf = this.buf.subarray(end + 4);
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]!);
    if (!m) throw new Error(`not an HTTP/1.1 answer: ${lines[0]!.slice(0, 40)}`);
    const status = Number(m[1]);
    if (status >= 100 && status < 200) return true; // interim (100 Continue): the real answer follows
    this.status = status;
    let length: number | undefined;
    let chunked = false;
    this.close = lines[0]!.startsWith("HTTP/1.0");
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "content-length") length = Number(value);
      else if (name === "transfer-encoding") chunked = /(^|,)\s*chunked\s*$/i.test(value);
      else if (name === "connection") this.close = /(^|,)\s*close\s*(,|$)/i.test(value);
      else if (name === "keep-alive") {
        const t = /timeout=(\d+)/i.exec(value);
        if (t) this.keepAliveMs = Number(t[1]) * 1000;
      }
    }
    if (this.headRequest || status === 204 || status === 304) this.body = { kind: "length", remaining: 0 };
    else if (chunked) this.body = { kind: "chunked", remaining: 0, crlf: false };
    else if (length !== undefined && Number.isSafeInteger(length) && length >= 0)
      this.body = { kind: "length", remaining: length };
    else throw new Error("answer without Content-Length or chunked encoding");
    return true;
  }

  /** Reads a chunk's closing CRLF or the next size line (or the last chunk and its trailers); false while incomplete. */
  private readChunked(c: { remaining: number; crlf: boolean }): boolean {
    if (c.crlf) {
      if (this.buf.length < 2) return false;
      if (this.buf[0] !== 0x0d || this.buf[1] !== 0x0a) throw new Error("malformed chunk");
      this.buf = this.buf.subarray(2);
      c.crlf = false;
      return true;
    }
    const lineEnd = this.buf.indexOf("\r\n");
    if (lineEnd < 0) {
      if (this.buf.length > 1024) throw new Error("malformed chunk size");
      return false;
    }
    const size = Number.parseInt(this.buf.toString("latin1", 0, lineEnd), 16);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error("malformed chunk size");
    if (size > 0) {
      this.buf = this.buf.subarray(lineEnd + 2);
      c.remaining = size;
      c.crlf = true;
      return true;
    }
    // The last chunk: trailers, if any, end with an empty line.
    const end = this.buf.indexOf("\r\n\r\n", lineEnd);
    const bare = this.buf.indexOf("\r\n", lineEnd + 2) === lineEnd + 2;
    if (end < 0 && !bare) return false;
    this.buf = this.buf.subarray(bare ? lineEnd + 4 : end + 4);
    this.finish();
    return true;
  }

  private finish(): void {
    this.finished = true;
    const body = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.done({ status: this.status, body, keepAliveMs: this.keepAliveMs }, !this.close);
  }
}
