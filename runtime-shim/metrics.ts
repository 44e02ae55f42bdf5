// The shim's Prometheus metrics (prom-client) on its own registry, and the side HTTP server that
// serves them with /healthz. Names follow the kubelet's runtime metrics (operations by type,
// errors, latency), counted here on the runtime's side of the socket.

import { createServer, type Server } from "node:http";
import { Counter, Histogram, Registry } from "../client/prom.js";
import { GrpcStatus } from "../proto/runtime/v1/index.js";
import { toGrpcStatus } from "./errors.js";

export class ShimMetrics {
  readonly registry = new Registry();
  readonly operations = new Counter({
    name: "k8ts_runtime_operations_total",
    help: "CRI calls by method and outcome (OK or the gRPC status code name).",
    labelNames: ["method", "outcome"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "k8ts_runtime_operation_duration_seconds",
    help: "CRI call latency by method.",
    labelNames: ["method"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  /** Wraps every method of a handler table so each call is counted and timed. */
  instrument<T extends object>(handlers: T): T {
    const out: Record<string, unknown> = {};
    for (const [method, fn] of Object.entries(handlers) as [string, (req: unknown) => Promise<unknown>][]) {
      out[method] = async (req: unknown) => {
        const end = this.latency.startTimer({ method });
        try {
          const res = await fn(req);
          this.operations.inc({ method, outcome: "OK" });
          return res;
        } catch (err) {
          this.operations.inc({ method, outcome: GrpcStatus[toGrpcStatus(err).code ?? GrpcStatus.UNKNOWN] });
          throw err;
        } finally {
          end();
        }
      };
    }
    return out as T;
  }
}

/** Serves /metrics and /healthz on host:port (port 0 picks a free one); resolves with the bound port. */
export async function serveMetrics(
  metrics: ShimMetrics,
  address: string,
): Promise<{ port: number; server: Server }> {
  const colon = address.lastIndexOf(":");
  const host = address.slice(0, colon) || "127.0.0.1";
  const port = Number(address.slice(colon + 1));
  const server = createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    } else if (req.url === "/metrics") {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
        (err: Error) => res.writeHead(500).end(err.message),
      );
    } else {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok());
  });
  const bound = server.address();
  return { port: typeof bound === "object" && bound ? bound.port : port, server };
}
