// Writes that many callers make in the same moment (a scheduler's binds and Events) over a few
// HTTP/1.1 connections per origin, pipelined (RFC 9112 §9.3): the requests queued in one turn of
// the event loop leave in one write, and the answers come back in the order asked. Every write to
// a loopback socket wakes the process at the other end, and on a small machine those wake-ups were
// the largest single cost of the scheduler per pod (two requests per pod, each its own write on
// its own connection).
//
// The price of pipelining is that requests on one connection share its fate: a deadline that
// passes, or a connection that breaks, fails every request still waiting on it (none is ever sent
// twice), and a slow answer delays the answers behind it. So it is for short writes whose callers
// handle a failure by retrying or dropping (binds, Events), not for everything. Same contract as
// http1-pool.ts otherwise; plain http: only.

import { connect, type Socket } from "node:net";
import { type HttpResponse, TimeoutError, type Transport } from "./http-transport.js";
import {
  DEFAULT_IDLE_MS,
  httpResponseOf,
  ResponseParser,
  requestOnTheWire,
  reuseWindowMs,
} from "./http1-pool.js";

/** Answers awaited on one connection before another is opened. */
const MAX_DEPTH = 16;
/** Connections per origin at most; beyond, requests queue on the least busy. */
const MAX_CONNECTIONS = 4;

interface Waiting {
  parser: ResponseParser;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
}

const pipelines = new Map<string, Pipeline[]>();

export const http1PipelineTransport: Transport = (r) => {
  if (r.signal?.aborted) return Promise.reject(r.signal.reason);
  const req = requestOnTheWire(r, "http1PipelineTransport");
  if (req instanceof Error) return Promise.reject(req);
  return pick(req.origin, req.host, req.port).exchange(req.wire, r.method === "HEAD", r.timeoutMs, r.signal);
};

/** The connection with the fewest answers awaited, a new one when all are deep (up to the limit). */
function pick(origin: string, host: string, port: number): Pipeline {
  let list = pipelines.get(origin);
  if (!list) {
    list = [];
    pipelines.set(origin, list);
  }
  let best: Pipeline | undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    const p = list[i]!;
    if (!p.usable()) {
      list.splice(i, 1);
      p.close();
      continue;
    }
    if (!best || p.depth < best.depth) best = p;
  }
  if (best && (best.depth < MAX_DEPTH || list.length >= MAX_CONNECTIONS)) return best;
  const p = new Pipeline(host, port, () => {
    const l = pipelines.get(origin);
    const i = l?.indexOf(p) ?? -1;
    if (i >= 0) l!.splice(i, 1);
  });
  list.push(p);
  return p;
}

class Pipeline {
  private readonly socket: Socket;
  private readonly waiting: Waiting[] = [];
  private out: string[] = [];
  private flushScheduled = false;
  private dead = false;
  private idleMs = DEFAULT_IDLE_MS;
  private idleSince = performance.now();

  constructor(
    host: string,
    port: number,
    private readonly forget: () => void,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on("data", (d: Buffer) => this.onData(d));
    this.socket.on("error", (err) => this.failAll(err));
    const closed = () => this.failAll(new Error("connection closed before the answer was complete"));
    this.socket.on("end", closed);
    this.socket.on("close", closed);
  }

  get depth(): number {
    return this.waiting.length;
  }

  /** Alive, and not idle for so long that the server may be closing it. */
  usable(): boolean {
    if (this.dead) return false;
    return this.waiting.length > 0 || performance.now() - this.idleSince < this.idleMs;
  }

  close(): void {
    this.dead = true;
    this.socket.destroy();
  }

  exchange(wire: string, head: boolean, timeoutMs?: number, signal?: AbortSignal): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      /** This request is over either way: its deadline and abort no longer concern the connection. */
      const settled = () => {
        clearTimeout(w.timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const w: Waiting = {
        reject: (err) => {
          settled();
          reject(err);
        },
        parser: new ResponseParser(head, (answer, reusable) => {
          settled();
          this.waiting.shift();
          if (this.waiting.length === 0) {
            // Idle connections do not hold the process open.
            this.idleSince = performance.now();
            this.socket.unref();
          }
          this.idleMs = reuseWindowMs(answer.keepAliveMs, this.idleMs);
          if (!reusable) this.dead = true;
          resolve(httpResponseOf(answer));
        }),
      };
      // One request cannot leave a pipeline alone: a deadline or an abort ends the connection, and
      // with it the requests queued behind (each fails; none is sent again).
      const onAbort = () => this.failAll(signal!.reason);
      if (timeoutMs !== undefined) {
        w.timer = setTimeout(() => this.failAll(new TimeoutError(timeoutMs)), timeoutMs);
        w.timer.unref();
      }
      signal?.addEventListener("abort", onAbort, { once: true });
      if (this.waiting.length === 0) this.socket.ref();
      this.waiting.push(w);
      this.out.push(wire);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.dead || this.out.length === 0) return;
    const wire = this.out.length === 1 ? this.out[0]! : this.out.join("");
    this.out = [];
    this.socket.write(wire);
  }

  private onData(d: Buffer): void {
    let rest = d;
    try {
      while (rest.length > 0) {
        const w = this.waiting[0];
        if (!w) throw new Error("bytes nobody asked for");
        rest = w.parser.pushSome(rest);
      }
    } catch (err) {
      this.failAll(err as Error);
    }
  }

  private failAll(err: Error): void {
    this.dead = true;
    this.forget();
    this.socket.destroy();
    this.out = [];
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}
