// The scheduler's side HTTP server: /metrics (Prometheus), /healthz, /readyz, and the explained
// decisions at /debug/decisions (newest first) and /debug/decisions/<namespace>/<pod>.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DecisionLog } from "./decisions.js";
import type { SchedulerMetrics } from "./metrics.js";

export interface SchedulerServerOptions {
  host: string;
  port: number;
  metrics: SchedulerMetrics;
  decisions: DecisionLog;
  /** A reason string when unhealthy (e.g. a stalled leader lease), undefined when healthy. */
  unhealthy(): string | undefined;
  /** True once the informers have synced. */
  ready(): boolean;
}

export interface SchedulerServer {
  port: number;
  close(): Promise<void>;
}

export async function startSchedulerServer(o: SchedulerServerOptions): Promise<SchedulerServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const send = (code: number, body: string, type = "text/plain; charset=utf-8") => {
      res.writeHead(code, { "Content-Type": type });
      res.end(body);
    };
    const json = (code: number, v: unknown) =>
      send(code, `${JSON.stringify(v, null, 2)}\n`, "application/json");
    if (req.method !== "GET") return send(405, "method not allowed\n");
    if (path === "/metrics") {
      o.metrics.registry.metrics().then(
        (text) => send(200, text, o.metrics.registry.contentType),
        (err) => send(500, `${String(err)}\n`),
      );
      return;
    }
    if (path === "/healthz" || path === "/livez") {
      const why = o.unhealthy();
      return why ? send(500, `unhealthy: ${why}\n`) : send(200, "ok\n");
    }
    if (path === "/readyz") return o.ready() ? send(200, "ok\n") : send(500, "informers not synced\n");
    if (path === "/debug/decisions") return json(200, { items: o.decisions.list() });
    const m = /^\/debug\/decisions\/([^/]+)\/([^/]+)$/.exec(path);
    if (m) {
      const key = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`;
      const d = o.decisions.get(key);
      return d ? json(200, d) : json(404, { message: `no decision recorded for pod ${key}` });
    }
    send(404, "not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
