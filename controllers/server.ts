// /metrics and /healthz of the controller manager on a side HTTP port, as kube-controller-manager
// serves them on --secure-port (plain HTTP here). /healthz fails while leader-lease renewals stall.

import { createServer } from "node:http";
import type { ControllerMetrics } from "./metrics.js";

export interface ManagerServer {
  port: number;
  close(): Promise<void>;
}

export async function serveManagerEndpoints(opts: {
  host: string;
  port: number;
  metrics: ControllerMetrics;
  /** A reason when unhealthy, undefined when healthy. */
  unhealthy: () => string | undefined;
}): Promise<ManagerServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz" || path === "/livez" || path === "/readyz") {
      const why = opts.unhealthy();
      res.writeHead(why ? 500 : 200, { "content-type": "text/plain" }).end(why ?? "ok");
    } else if (path === "/metrics") {
      opts.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": opts.metrics.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    } else {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port, opts.host, () => ok());
  });
  const bound = server.address();
  return {
    port: typeof bound === "object" && bound ? bound.port : opts.port,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
