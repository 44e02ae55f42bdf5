// How RestClient puts one request on the wire. Watches (and everything on https) go through
// node:http(s) on a shared keep-alive agent (one pool of connections per origin, like client-go's
// shared transport), about a seventh of the CPU the global fetch costs per request (WHATWG streams,
// Headers, AbortSignals); one-shot calls on plain http take the leaner pool in http1-pool.ts. A
// caller that supplies its own fetch (tests, extra headers) gets it wrapped in the same shape.
//
// Contract: the promise settles when the response head arrives (or the request fails); `text()`
// reads the whole body, `body` streams it (a watch). A deadline (`timeoutMs`) covers the whole
// exchange, body included, and fails it with TimeoutError; aborting `signal` fails it with the
// signal's reason. Failures are raw errors: RestClient maps them to ApiError in one place.

import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Deadline for the whole exchange; none when omitted (watches). */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** The body as it arrives; breaking out of the iteration closes the connection. */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
}

export type Transport = (req: HttpRequest) => Promise<HttpResponse>;

export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

// Idle keep-alive sockets do not hold the process open (the agent unrefs them), and the agent
// drops them before the server's advertised Keep-Alive timeout, so a reused socket is not one the
// server is closing.
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/** node:http(s) with keep-alive. */
export const nodeTransport: Transport = (r) =>
  new Promise((resolve, reject) => {
    const url = new URL(r.url);
    const tls = url.protocol === "https:";
    const headers =
      r.body === undefined
        ? r.headers
        : { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) };
    let timedOut: TimeoutError | undefined;
    let timer: NodeJS.Timeout | undefined;
    const req = (tls ? httpsRequest : httpRequest)(
      {
        protocol: url.protocol,
        hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: r.method,
        headers,
        agent: tls ? httpsAgent : httpAgent,
        signal: r.signal,
      },
      (res) => resolve(answer(res, () => timedOut, stop)),
    );
    const stop = () => clearTimeout(timer);
    if (r.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = new TimeoutError(r.timeoutMs!);
        req.destroy(timedOut);
      }, r.timeoutMs);
      timer.unref();
    }
    req.on("error", (err) => {
      stop();
      reject(timedOut ?? err);
    });
    req.end(r.body);
  });

function answer(res: IncomingMessage, timedOut: () => Error | undefined, stop: () => void): HttpResponse {
  res.once("end", stop);
  res.once("close", stop);
  return {
    status: res.statusCode ?? 0,
    body: res,
    text: () =>
      new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        res.once("error", (err) => reject(timedOut() ?? err));
        res.once("close", () => {
          if (!res.complete)
            reject(timedOut() ?? new Error("connection closed before the answer was complete"));
        });
      }),
  };
}

/** A fetch implementation in the transport's shape (the deadline becomes an abort signal). */
export function fetchTransport(f: typeof fetch): Transport {
  return async (r) => {
    const timeout = r.timeoutMs === undefined ? undefined : AbortSignal.timeout(r.timeoutMs);
    const signal = timeout && r.signal ? AbortSignal.any([r.signal, timeout]) : (timeout ?? r.signal);
    const failed = (err: unknown) =>
      timeout?.aborted && !r.signal?.aborted ? new TimeoutError(r.timeoutMs!) : err;
    let res: Response;
    try {
      res = await f(r.url, { method: r.method, headers: r.headers, body: r.body, signal });
    } catch (err) {
      throw failed(err);
    }
    return {
      status: res.status,
      body: (res.body ?? []) as AsyncIterable<Uint8Array>,
      text: () => res.text().catch((err) => Promise.reject(failed(err))),
    };
  };
}
