// The controller manager's Prometheus metrics (prom-client, own registry): reconciles by controller
// and result, reconcile latency, work queue depth, whether this process leads. Names follow
// controller-runtime's (controller_runtime_reconcile_total ...) and client-go's workqueue_depth,
// under the k8ts_ prefix.

import type { Controller, ControllerObserver } from "../client/index.js";
import { Counter, Gauge, Histogram, Registry } from "../client/prom.js";

export class ControllerMetrics implements ControllerObserver {
  readonly registry = new Registry();
  private readonly tracked: Controller[] = [];
  readonly reconciles = new Counter({
    name: "k8ts_controller_reconcile_total",
    help: "Reconciles by controller and result (success, requeue_after, error).",
    labelNames: ["controller", "result"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "k8ts_controller_reconcile_duration_seconds",
    help: "Time per reconcile, by controller.",
    labelNames: ["controller"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: "k8ts_controller_leader",
    help: "1 while this process runs the controllers (holds the lease, or leader election is off).",
    registers: [this.registry],
  });

  constructor() {
    const tracked = this.tracked;
    new Gauge({
      name: "k8ts_workqueue_depth",
      help: "Keys waiting in each controller's work queue.",
      labelNames: ["name"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of tracked) this.set({ name: c.name }, c.queue.len());
      },
    });
  }

  reconciled(e: { controller: string; outcome: string; durationMs: number }): void {
    this.reconciles.inc({ controller: e.controller, result: e.outcome });
    this.latency.observe({ controller: e.controller }, e.durationMs / 1000);
  }

  /** Reports these controllers' queue depth (until `untrack`). */
  track(controllers: readonly Controller[]): void {
    this.tracked.push(...controllers);
  }

  untrack(): void {
    this.tracked.length = 0;
  }
}
