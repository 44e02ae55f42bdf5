// Test support (not exported from client/index.ts): a small in-memory HTTP server that speaks the
// Kubernetes wire protocol for one namespaced core resource — paged lists, watches that replay from
// a resourceVersion and answer 410 once history is compacted, bookmarks, watches that send the state
// first (sendInitialEvents, ended by the initial-events-end bookmark) — with switches a test needs
// to play the API server's bad days: end every open watch, compact history, go down and come back.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { INITIAL_EVENTS_END_ANNOTATION, type KubeObject, type Status } from "../api/index.js";

interface LoggedEvent {
  rv: number;
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: KubeObject;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export class FakeApiServer {
  /** Every request received, in order. */
  readonly requests: FakeRequest[] = [];
  /** How a watch from a compacted version is refused: an ERROR event (as kube-apiserver) or HTTP 410. */
  goneAs: "event" | "http" = "event";
  /** false: sendInitialEvents is refused with 422, as by kube-apiserver without the WatchList feature. */
  streamsLists = true;
  /**
   * What a watch asked for the state does after sending it: end it with the initial-events-end
   * bookmark ("end"), wait for sendInitialEventsEnd() ("hold"), or close the stream ("close", a
   * server that fails half-way).
   */
  afterState: "end" | "hold" | "close" = "end";
  private readonly held: (() => void)[] = [];
  private readonly objects = new Map<string, KubeObject>();
  private readonly log: LoggedEvent[] = [];
  private rv = 100;
  private compactedRv = 0;
  private readonly watchers = new Set<{ res: ServerResponse; ns?: string }>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  port = 0;

  constructor(private readonly plural = "pods") {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const addr = server.address();
    this.port = typeof addr === "object" && addr ? addr.port : port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops every connection (the API server is down). State is kept. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.watchers.clear();
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Comes back on the same port after stop(). */
  restart(): Promise<this> {
    return this.start(this.port);
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Watch requests received (their resourceVersion parameter), and list requests. */
  watchRequests(): FakeRequest[] {
    return this.requests.filter((r) => r.query.get("watch") === "true");
  }

  listRequests(): FakeRequest[] {
    return this.requests.filter((r) => r.method === "GET" && r.query.get("watch") !== "true");
  }

  openWatches(): number {
    return this.watchers.size;
  }

  upsert(obj: KubeObject): KubeObject {
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
    const type = this.objects.has(key) ? "MODIFIED" : "ADDED";
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    this.objects.set(key, stored);
    this.record({ rv: this.rv, type, object: stored });
    return stored;
  }

  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const old = this.objects.get(key);
    if (!old) return;
    this.objects.delete(key);
    const last = structuredClone(old);
    last.metadata.resourceVersion = String(++this.rv);
    this.record({ rv: this.rv, type: "DELETED", object: last });
  }

  /** Forgets history up to now: a watch from any older version gets 410. */
  compact(): void {
    this.compactedRv = this.rv;
    this.log.length = 0;
  }

  /** Sends the held initial-events-end bookmarks (afterState "hold"). */
  sendInitialEventsEnd(): void {
    for (const end of this.held.splice(0)) end();
  }

  /** Ends every open watch cleanly, as a server-side timeout does. */
  endWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  /** Sends a BOOKMARK at the current version to every open watch. */
  bookmark(): void {
    const ev = {
      type: "BOOKMARK",
      object: { kind: "Pod", apiVersion: "v1", metadata: { resourceVersion: String(this.rv) } },
    };
    for (const w of this.watchers) w.res.write(`${JSON.stringify(ev)}\n`);
  }

  private record(ev: LoggedEvent): void {
    this.log.push(ev);
    for (const w of this.watchers) {
      if (!w.ns || w.ns === ev.object.metadata.namespace) w.res.write(`${JSON.stringify(ev)}\n`);
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://x");
    this.requests.push({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams });
    const m = url.pathname.match(/^\/api\/v1(?:\/namespaces\/([^/]+))?\/([^/]+)$/);
    if (!m || m[2] !== this.plural || req.method !== "GET") {
      this.fail(res, 404, "NotFound", "the server could not find the requested resource");
      return;
    }
    const ns = m[1];
    if (url.searchParams.get("watch") === "true") {
      this.watch(res, ns, url.searchParams);
      return;
    }
    const all = [...this.objects.values()]
      .filter((o) => !ns || o.metadata.namespace === ns)
      .sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
    const limit = Number(url.searchParams.get("limit") ?? 0);
    const from = Number(url.searchParams.get("continue") ?? 0);
    const items = limit > 0 ? all.slice(from, from + limit) : all;
    const more = limit > 0 && from + limit < all.length;
    this.json(res, 200, {
      kind: "PodList",
      apiVersion: "v1",
      metadata: { resourceVersion: String(this.rv), ...(more ? { continue: String(from + limit) } : {}) },
      items,
    });
  }

  private watch(res: ServerResponse, ns: string | undefined, q: URLSearchParams): void {
    const withState = q.get("sendInitialEvents") === "true";
    if (withState && !this.streamsLists) {
      this.fail(
        res,
        422,
        "Invalid",
        "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
      );
      return;
    }
    const from = withState ? 0 : Number(q.get("resourceVersion") || 0);
    if (from > 0 && from < this.compactedRv) {
      const status = this.status(410, "Expired", `too old resource version: ${from} (${this.compactedRv})`);
      if (this.goneAs === "http") {
        this.json(res, 410, status);
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(`${JSON.stringify({ type: "ERROR", object: status })}\n`);
      }
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    res.flushHeaders();
    const replay =
      from > 0
        ? this.log.filter((e) => e.rv > from)
        : [...this.objects.values()].map((object) => ({ type: "ADDED", object }));
    for (const ev of replay) {
      if (!ns || ns === ev.object.metadata.namespace) res.write(`${JSON.stringify(ev)}\n`);
    }
    if (withState && this.afterState === "close") {
      res.end();
      return;
    }
    if (withState && q.get("allowWatchBookmarks") === "true") {
      const metadata = {
        resourceVersion: String(this.rv),
        annotations: { [INITIAL_EVENTS_END_ANNOTATION]: "true" },
      };
      const end = () =>
        res.write(
          `${JSON.stringify({ type: "BOOKMARK", object: { kind: "Pod", apiVersion: "v1", metadata } })}\n`,
        );
      if (this.afterState === "hold") this.held.push(end);
      else end();
    }
    const w = { res, ns };
    this.watchers.add(w);
    res.on("close", () => this.watchers.delete(w));
  }

  private status(code: number, reason: Status["reason"], message: string): Status {
    return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", code, reason, message };
  }

  private fail(res: ServerResponse, code: number, reason: Status["reason"], message: string): void {
    this.json(res, code, this.status(code, reason, message));
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }
}
