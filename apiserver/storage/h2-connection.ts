// A minimal HTTP/2 client connection (RFC 9113) for gRPC unary calls: request streams that send
// one header block and one body, and receive header blocks and data.
//
// Why not node:http2: its per-request machinery (an Http2Stream Duplex per request, async-context
// binding, header object mapping, several listeners) cost ~0.15 ms of CPU per etcd call, about a
// third of the API server's CPU per pod create. A unary call needs little of HTTP/2: no push, no
// priorities, no server-initiated streams, a header block that is the same for every call to a
// path. What it does need is here: the preface and SETTINGS exchange, PING and SETTINGS
// acknowledgements, flow control both ways (large windows for replies of whole-resource lists,
// respecting the server's windows and frame size for large request bodies), concurrency limits
// (calls beyond MAX_CONCURRENT_STREAMS wait), header blocks across CONTINUATION frames, RST_STREAM
// and GOAWAY. Frames queued in one turn of the event loop leave in one write.
//
// Failure model: a stream fails (StreamHandler.failed) when the server resets it, when a GOAWAY
// says it was not processed, or when the connection breaks; a protocol violation by the server
// ends the connection. `onGone` tells the owner, once, that no new streams may start here.

import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import {
  ACK,
  CANCEL,
  COMPRESSION_ERROR,
  CONTINUATION,
  DATA,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW,
  END_HEADERS,
  END_STREAM,
  FLOW_CONTROL_ERROR,
  FRAME_HEADER,
  FRAME_SIZE_ERROR,
  frame,
  frameHeader,
  GOAWAY,
  goawayFrame,
  HEADERS,
  MAX_WINDOW,
  PING,
  PREFACE,
  PRIORITY_FLAG,
  PROTOCOL_ERROR,
  PUSH_PROMISE,
  RST_STREAM,
  rstStreamFrame,
  SETTINGS,
  SETTINGS_ACK,
  SETTINGS_ENABLE_PUSH,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SETTINGS_MAX_CONCURRENT_STREAMS,
  SETTINGS_MAX_FRAME_SIZE,
  settingsFrame,
  unpad,
  WINDOW_UPDATE,
  windowUpdateFrame,
} from "./h2-frames.js";
import { type HeaderList, HpackDecoder, HpackError } from "./hpack.js";

/** Where to connect: host and port, TLS (ALPN "h2") or not. */
export interface H2Target {
  secure: boolean;
  host: string;
  port: number;
}

/** What a request stream reports; exactly one of: `end` seen on headers/data, or `failed`. */
export interface StreamHandler {
  /** A complete header block: the response headers, or the trailers. `end`: the stream ended with it. */
  headers(fields: HeaderList, end: boolean): void;
  data(chunk: Buffer, end: boolean): void;
  failed(message: string): void;
}

/**
 * Our receive windows. Replies of whole-resource lists are large (10,000 pods are ~8 MB): a
 * stream may receive 16 MiB, and the connection 32 MiB, before we must have said we consumed
 * them; we say so (WINDOW_UPDATE) at half of each, as replies are consumed on arrival.
 */
export const STREAM_WINDOW = 16 * 1024 * 1024;
export const CONNECTION_WINDOW = 32 * 1024 * 1024;
/** Queued frames up to this size are joined into one buffer before the write. */
const JOIN_BELOW = 64 * 1024;
const LAST_STREAM_ID = 2 ** 31 - 1;

/** A protocol violation by the server (§5.4.1): the connection ends with GOAWAY `code`. */
class ConnectionError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A request stream; `id` 0 while it waits for a free concurrency slot. */
export class H2Stream {
  id = 0;
  sendWindow = 0;
  received = 0;
  constructor(
    readonly block: Buffer,
    public body: Buffer | undefined,
    readonly handler: StreamHandler,
  ) {}
}

export class H2Connection {
  /** performance.now() when the server last sent anything (a frame of any stream, or a part of one). */
  lastReadAt = 0;
  private readonly socket: Socket;
  private readonly decoder = new HpackDecoder();
  private readonly streams = new Map<number, H2Stream>();
  private readonly queued: H2Stream[] = [];
  /** Streams with body left to send, waiting for window. */
  private readonly blocked = new Set<H2Stream>();
  private nextId = 1;
  private goingAway = false;
  private closed = false;
  private maxConcurrent = Number.POSITIVE_INFINITY;
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrame = DEFAULT_MAX_FRAME_SIZE;
  private sendWindow = DEFAULT_WINDOW;
  private receivedUnacked = 0;
  private inbuf: Buffer | undefined;
  /** A header block being assembled from HEADERS + CONTINUATION frames. */
  private headerStream = 0;
  private headerFlags = 0;
  private headerParts: Buffer[] = [];
  private out: Buffer[] = [];
  private outBytes = 0;
  private flushScheduled = false;

  constructor(
    target: H2Target,
    private readonly onGone: (c: H2Connection) => void,
  ) {
    if (target.secure) {
      const socket = tlsConnect({
        host: target.host,
        port: target.port,
        servername: /^[\d.]+$|:/.test(target.host) ? undefined : target.host,
        ALPNProtocols: ["h2"],
      });
      socket.once("secureConnect", () => {
        if (socket.alpnProtocol !== "h2")
          this.fail(`${target.host}:${target.port} does not speak h2 over TLS`);
      });
      this.socket = socket;
    } else {
      this.socket = netConnect({ host: target.host, port: target.port });
    }
    this.socket.setNoDelay(true);
    this.socket.on("data", (chunk: Buffer) => this.read(chunk));
    this.socket.on("error", (err) => this.fail(err.message));
    this.socket.on("close", () => this.fail("connection closed"));
    this.push(PREFACE);
    this.push(
      settingsFrame([
        [SETTINGS_ENABLE_PUSH, 0],
        [SETTINGS_INITIAL_WINDOW_SIZE, STREAM_WINDOW],
      ]),
    );
    this.push(windowUpdateFrame(0, CONNECTION_WINDOW - DEFAULT_WINDOW));
  }

  /** Whether new streams may start here (not closed, no GOAWAY, stream ids left). */
  get accepting(): boolean {
    return !this.closed && !this.goingAway;
  }

  /** Starts a request: HEADERS with `block`, then `body` as DATA ending the stream. */
  request(block: Buffer, body: Buffer, handler: StreamHandler): H2Stream {
    if (!this.accepting) throw new Error("connection not accepting streams");
    const s = new H2Stream(block, body, handler);
    if (this.queued.length === 0 && this.streams.size < this.maxConcurrent) this.start(s);
    else this.queued.push(s);
    return s;
  }

  /** Abandons a stream (RST_STREAM CANCEL once started); its handler hears nothing more. */
  cancel(s: H2Stream): void {
    if (s.id === 0) {
      const i = this.queued.indexOf(s);
      if (i >= 0) this.queued.splice(i, 1);
      return;
    }
    if (this.streams.get(s.id) !== s) return;
    this.push(rstStreamFrame(s.id, CANCEL));
    this.done(s);
  }

  /** Ends the connection now; open streams fail with `reason`. */
  destroy(reason = "connection closed by the client"): void {
    this.fail(reason);
  }

  /** Ends the connection once its open streams are done; no new streams start. */
  close(): void {
    if (this.closed) return;
    this.goAway();
    if (this.streams.size === 0 && this.queued.length === 0)
      this.fail("connection closed by the client", true);
  }

  private start(s: H2Stream): void {
    s.id = this.nextId;
    this.nextId += 2;
    // Stream ids are spent: new calls go to a new connection.
    if (this.nextId > LAST_STREAM_ID) this.goAway();
    s.sendWindow = this.peerInitialWindow;
    this.streams.set(s.id, s);
    const block = s.block;
    if (block.length <= this.peerMaxFrame) {
      this.push(frameHeader(block.length, HEADERS, END_HEADERS, s.id));
      this.push(block);
    } else {
      for (let at = 0; at < block.length; at += this.peerMaxFrame) {
        const part = block.subarray(at, at + this.peerMaxFrame);
        const last = at + part.length === block.length;
        this.push(frameHeader(part.length, at === 0 ? HEADERS : CONTINUATION, last ? END_HEADERS : 0, s.id));
        this.push(part);
      }
    }
    this.sendBody(s);
  }

  /** Sends as much of the body as the windows allow; the rest waits for WINDOW_UPDATE. */
  private sendBody(s: H2Stream): void {
    let body = s.body;
    while (body) {
      const n = Math.min(body.length, s.sendWindow, this.sendWindow, this.peerMaxFrame);
      if (n <= 0 && body.length > 0) {
        this.blocked.add(s);
        break;
      }
      const last = n === body.length;
      this.push(frameHeader(n, DATA, last ? END_STREAM : 0, s.id));
      if (n > 0) this.push(body.subarray(0, n));
      s.sendWindow -= n;
      this.sendWindow -= n;
      body = last ? undefined : body.subarray(n);
    }
    s.body = body;
    if (!body) this.blocked.delete(s);
  }

  private resumeBlocked(): void {
    for (const s of this.blocked) {
      if (this.sendWindow <= 0) return;
      this.sendBody(s);
    }
  }

  /** A stream ended or was reset: it frees its slot for a queued one. */
  private done(s: H2Stream): void {
    this.streams.delete(s.id);
    this.blocked.delete(s);
    this.startQueued();
    if (this.goingAway && this.streams.size === 0 && this.queued.length === 0) {
      this.fail("connection closed after GOAWAY", true);
    }
  }

  /** Starts waiting requests while the server's concurrency limit and stream ids allow. */
  private startQueued(): void {
    while (
      this.queued.length > 0 &&
      this.streams.size < this.maxConcurrent &&
      this.nextId <= LAST_STREAM_ID
    ) {
      this.start(this.queued.shift()!);
    }
    if (this.nextId > LAST_STREAM_ID && this.queued.length > 0) {
      // Never sent: UNAVAILABLE, which callers may retry (on a new connection).
      const stranded = this.queued.splice(0);
      for (const s of stranded) s.handler.failed("the connection ran out of stream ids");
    }
  }

  private goAway(): void {
    if (this.goingAway) return;
    this.goingAway = true;
    this.onGone(this);
  }

  // --- writing

  private push(buf: Buffer): void {
    this.out.push(buf);
    this.outBytes += buf.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const out = this.out;
    if (out.length === 0 || this.closed) return;
    this.out = [];
    const bytes = this.outBytes;
    this.outBytes = 0;
    if (out.length === 1) this.socket.write(out[0]!);
    else if (bytes < JOIN_BELOW) this.socket.write(Buffer.concat(out, bytes));
    else {
      this.socket.cork();
      for (const b of out) this.socket.write(b);
      this.socket.uncork();
    }
  }

  // --- reading

  private read(chunk: Buffer): void {
    this.lastReadAt = performance.now();
    let buf = this.inbuf ? Buffer.concat([this.inbuf, chunk]) : chunk;
    let pos = 0;
    while (buf.length - pos >= FRAME_HEADER) {
      const len = buf.readUIntBE(pos, 3);
      if (buf.length - pos < FRAME_HEADER + len) break;
      const type = buf[pos + 3]!;
      const flags = buf[pos + 4]!;
      const id = buf.readUInt32BE(pos + 5) & 0x7fffffff;
      const payload = buf.subarray(pos + FRAME_HEADER, pos + FRAME_HEADER + len);
      pos += FRAME_HEADER + len;
      try {
        this.onFrame(type, flags, id, payload);
      } catch (err) {
        if (!(err instanceof ConnectionError)) throw err;
        this.protocolError(err.code, err.message);
      }
      if (this.closed) return;
    }
    buf = buf.subarray(pos);
    this.inbuf = buf.length > 0 ? buf : undefined;
  }

  private onFrame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.headerStream !== 0 && (type !== CONTINUATION || id !== this.headerStream)) {
      throw new ConnectionError(PROTOCOL_ERROR, "a header block was interrupted by another frame");
    }
    switch (type) {
      case DATA:
        this.onData(flags, id, payload);
        break;
      case HEADERS: {
        if (id === 0) throw new ConnectionError(PROTOCOL_ERROR, "HEADERS on stream 0");
        let fragment = unpad(flags, payload);
        if (fragment && flags & PRIORITY_FLAG)
          fragment = fragment.length >= 5 ? fragment.subarray(5) : undefined;
        if (!fragment) throw new ConnectionError(PROTOCOL_ERROR, "malformed HEADERS");
        if (flags & END_HEADERS) this.onHeaderBlock(id, flags, fragment);
        else {
          this.headerStream = id;
          this.headerFlags = flags;
          this.headerParts = [fragment];
        }
        break;
      }
      case CONTINUATION: {
        if (this.headerStream === 0)
          throw new ConnectionError(PROTOCOL_ERROR, "CONTINUATION without HEADERS");
        this.headerParts.push(payload);
        if (flags & END_HEADERS) {
          const block = Buffer.concat(this.headerParts);
          this.headerStream = 0;
          this.headerParts = [];
          this.onHeaderBlock(id, this.headerFlags, block);
        }
        break;
      }
      case RST_STREAM: {
        if (id === 0 || payload.length !== 4)
          throw new ConnectionError(PROTOCOL_ERROR, "malformed RST_STREAM");
        const s = this.streams.get(id);
        if (!s) return;
        this.done(s);
        s.handler.failed(`stream reset by the server (code ${payload.readUInt32BE(0)})`);
        break;
      }
      case SETTINGS:
        this.onSettings(flags, id, payload);
        break;
      case PUSH_PROMISE:
        throw new ConnectionError(PROTOCOL_ERROR, "PUSH_PROMISE after ENABLE_PUSH 0");
      case PING:
        if (id !== 0 || payload.length !== 8) throw new ConnectionError(FRAME_SIZE_ERROR, "malformed PING");
        if (!(flags & ACK)) this.push(frame(PING, ACK, 0, payload));
        break;
      case GOAWAY:
        if (id !== 0 || payload.length < 8) throw new ConnectionError(PROTOCOL_ERROR, "malformed GOAWAY");
        this.onGoaway(payload.readUInt32BE(0) & 0x7fffffff, payload.readUInt32BE(4));
        break;
      case WINDOW_UPDATE:
        this.onWindowUpdate(id, payload);
        break;
      default:
      // PRIORITY and unknown frame types are ignored (§5.5).
    }
  }

  private onData(flags: number, id: number, payload: Buffer): void {
    if (id === 0) throw new ConnectionError(PROTOCOL_ERROR, "DATA on stream 0");
    // The whole payload, padding included, counts against the windows (§6.9.1), even on a
    // stream we abandoned.
    this.receivedUnacked += payload.length;
    if (this.receivedUnacked >= CONNECTION_WINDOW / 2) {
      this.push(windowUpdateFrame(0, this.receivedUnacked));
      this.receivedUnacked = 0;
    }
    const s = this.streams.get(id);
    if (!s) return;
    const data = unpad(flags, payload);
    if (!data) throw new ConnectionError(PROTOCOL_ERROR, "malformed DATA padding");
    const end = (flags & END_STREAM) !== 0;
    if (end) this.ended(s);
    else {
      s.received += payload.length;
      if (s.received >= STREAM_WINDOW / 2) {
        this.push(windowUpdateFrame(id, s.received));
        s.received = 0;
      }
    }
    s.handler.data(data, end);
  }

  private onHeaderBlock(id: number, flags: number, block: Buffer): void {
    let fields: HeaderList;
    try {
      // Every block goes through the decoder, a stream's or not: the dynamic table spans them all.
      fields = this.decoder.decode(block);
    } catch (err) {
      if (err instanceof HpackError) throw new ConnectionError(COMPRESSION_ERROR, err.message);
      throw err;
    }
    const s = this.streams.get(id);
    if (!s) return;
    const end = (flags & END_STREAM) !== 0;
    if (end) this.ended(s);
    s.handler.headers(fields, end);
  }

  /** The server ended the stream; a body still unsent is not wanted any more. */
  private ended(s: H2Stream): void {
    if (s.body) this.push(rstStreamFrame(s.id, CANCEL));
    s.body = undefined;
    this.done(s);
  }

  private onSettings(flags: number, id: number, payload: Buffer): void {
    if (id !== 0) throw new ConnectionError(PROTOCOL_ERROR, "SETTINGS on a stream");
    if (flags & ACK) return;
    if (payload.length % 6 !== 0) throw new ConnectionError(FRAME_SIZE_ERROR, "malformed SETTINGS");
    for (let at = 0; at < payload.length; at += 6) {
      const key = payload.readUInt16BE(at);
      const value = payload.readUInt32BE(at + 2);
      if (key === SETTINGS_MAX_CONCURRENT_STREAMS) this.maxConcurrent = value;
      else if (key === SETTINGS_INITIAL_WINDOW_SIZE) {
        if (value > MAX_WINDOW)
          throw new ConnectionError(FLOW_CONTROL_ERROR, "INITIAL_WINDOW_SIZE too large");
        const delta = value - this.peerInitialWindow;
        this.peerInitialWindow = value;
        for (const s of this.streams.values()) s.sendWindow += delta;
      } else if (key === SETTINGS_MAX_FRAME_SIZE) {
        if (value < DEFAULT_MAX_FRAME_SIZE || value > 2 ** 24 - 1) {
          throw new ConnectionError(PROTOCOL_ERROR, "MAX_FRAME_SIZE out of range");
        }
        this.peerMaxFrame = value;
      }
      // HEADER_TABLE_SIZE bounds an encoder table we never use; ENABLE_PUSH concerns servers.
    }
    this.push(SETTINGS_ACK);
    this.resumeBlocked();
    this.startQueued();
  }

  private onGoaway(lastStreamId: number, code: number): void {
    this.goAway();
    const why = `the server is going away (GOAWAY code ${code})`;
    const unprocessed = [...this.queued, ...[...this.streams.values()].filter((s) => s.id > lastStreamId)];
    this.queued.length = 0;
    for (const s of unprocessed) {
      this.streams.delete(s.id);
      this.blocked.delete(s);
    }
    for (const s of unprocessed) s.handler.failed(why);
    if (this.streams.size === 0) this.fail(why, true);
  }

  private onWindowUpdate(id: number, payload: Buffer): void {
    if (payload.length !== 4) throw new ConnectionError(FRAME_SIZE_ERROR, "malformed WINDOW_UPDATE");
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) {
      if (increment === 0) throw new ConnectionError(PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
      this.sendWindow += increment;
      if (this.sendWindow > MAX_WINDOW) throw new ConnectionError(FLOW_CONTROL_ERROR, "window above 2^31-1");
    } else {
      const s = this.streams.get(id);
      if (!s) return;
      if (increment === 0 || s.sendWindow + increment > MAX_WINDOW) {
        this.push(rstStreamFrame(id, increment === 0 ? PROTOCOL_ERROR : FLOW_CONTROL_ERROR));
        this.done(s);
        s.handler.failed("invalid WINDOW_UPDATE from the server");
        return;
      }
      s.sendWindow += increment;
    }
    this.resumeBlocked();
  }

  /** A connection error (§5.4.1): GOAWAY with `code`, then the connection ends. */
  private protocolError(code: number, message: string): void {
    if (this.closed) return;
    this.socket.write(goawayFrame(0, code, message));
    this.fail(`HTTP/2 protocol error from the server: ${message}`, true);
  }

  /**
   * The connection is over: every stream and queued request fails with `message`. `graceful`:
   * what is queued for the server is still written before the socket closes.
   */
  private fail(message: string, graceful = false): void {
    if (this.closed) return;
    if (graceful && this.out.length > 0 && !this.socket.destroyed) this.flush();
    this.closed = true;
    this.goAway();
    if (graceful) this.socket.destroySoon();
    else this.socket.destroy();
    const all = [...this.streams.values(), ...this.queued];
    this.streams.clear();
    this.queued.length = 0;
    this.blocked.clear();
    for (const s of all) s.handler.failed(message);
  }
}
