// The scheduler's Prometheus metrics (prom-client), on its own registry so several schedulers can
// live in one process (tests). Names follow the kube-scheduler's where one exists.

import { Counter, Gauge, Histogram, Registry } from "../client/prom.js";
import type { PendingCounts } from "./queue/scheduling-queue.js";

export class SchedulerMetrics {
  readonly registry = new Registry();
  /** result: scheduled | unschedulable | error. */
  readonly attempts: Counter<"result" | "profile">;
  /** From the pod entering the queue to its bind succeeding. */
  readonly e2eLatency: Histogram<"profile">;
  /** Filter + score for one attempt. */
  readonly algorithmLatency: Histogram;
  readonly bindLatency: Histogram<"result">;

  constructor(
    pending: () => PendingCounts,
    droppedEvents: () => number = () => 0,
    pendingEvents: () => number = () => 0,
  ) {
    const registers = [this.registry];
    this.attempts = new Counter({
      name: "scheduler_schedule_attempts_total",
      help: "Scheduling attempts by result (scheduled, unschedulable, error) and profile.",
      labelNames: ["result", "profile"],
      registers,
    });
    this.e2eLatency = new Histogram({
      name: "scheduler_e2e_scheduling_duration_seconds",
      help: "From a pod entering the scheduling queue to its successful bind.",
      labelNames: ["profile"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.algorithmLatency = new Histogram({
      name: "scheduler_scheduling_algorithm_duration_seconds",
      help: "Time to filter and score the nodes for one pod.",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    });
    this.bindLatency = new Histogram({
      name: "scheduler_binding_duration_seconds",
      help: "Duration of pods/binding calls by result.",
      labelNames: ["result"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    new Gauge({
      name: "scheduler_dropped_events",
      help: "Events not written because too many were waiting (the recorder drops under overload).",
      registers,
      collect() {
        this.set(droppedEvents());
      },
    });
    new Gauge({
      name: "scheduler_pending_events",
      help: "Events accepted by the recorder and not written yet.",
      registers,
      collect() {
        this.set(pendingEvents());
      },
    });
    new Gauge({
      name: "scheduler_pending_pods",
      help: "Pending pods by queue (active, backoff, unschedulable, gated).",
      labelNames: ["queue"],
      registers,
      collect() {
        const p = pending();
        for (const [queue, n] of Object.entries(p)) this.set({ queue }, n);
      },
    });
  }
}
