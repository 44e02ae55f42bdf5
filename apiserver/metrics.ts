// The API server's Prometheus metrics (prom-client), on its own registry so several servers can
// live in one process (tests) without clashing.

import type { ResourceType } from "../api/resources.js";
import { Counter, Gauge, Histogram, Registry } from "../client/prom.js";

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "apiserver_request_total",
    help: "API requests by verb, resource and HTTP code.",
    labelNames: ["verb", "resource", "code"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "apiserver_request_duration_seconds",
    help: "API request latency by verb and resource (watches excluded).",
    labelNames: ["verb", "resource"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly watches = new Gauge({
    name: "apiserver_registered_watchers",
    help: "Open watch streams by resource.",
    labelNames: ["resource"] as const,
    registers: [this.registry],
  });

  watchMetrics() {
    return {
      opened: (r: ResourceType) => this.watches.inc({ resource: r.plural }),
      closed: (r: ResourceType) => this.watches.dec({ resource: r.plural }),
    };
  }
}
