// One pod's trip through the scheduler (the kube-scheduler's scheduleOne): take it off the queue,
// decide (schedule-pod.ts), then either
//   - assume it on the chosen node in the cache and bind it in the background: the next decision
//     does not wait for the API round trip; a failed bind forgets the assumption and retries; or
//   - record why it fits nowhere (FailedScheduling event, PodScheduled=False condition) and park it
//     in the queue until a cluster event could help.
// Every attempt leaves a Decision in the log (/debug/decisions).

import type { Pod } from "../api/index.js";
import type { Clock } from "../client/index.js";
import type { SchedulerCache } from "./cache.js";
import { type DecisionLog, recordOf } from "./decisions.js";
import type { Framework } from "./framework/framework.js";
import type { SchedulerMetrics } from "./metrics.js";
import type { QueuedPod, SchedulingQueue } from "./queue/scheduling-queue.js";
import { schedulePod } from "./schedule-pod.js";

/** The scheduler's only write that matters: pods/binding. Throws ApiError on refusal. */
export interface Binder {
  bind(pod: Pod, nodeName: string): Promise<void>;
}

/** Where events go (client's EventRecorder has this shape). */
export interface EventSink {
  event(obj: Pod, type: "Normal" | "Warning", reason: string, message: string): void;
}

/** Writes the PodScheduled=False condition of a pod that does not fit (best effort). */
export type ConditionWriter = (pod: Pod, reason: string, message: string) => Promise<void>;

export interface ScheduleOneDeps {
  queue: SchedulingQueue;
  cache: SchedulerCache;
  profiles: ReadonlyMap<string, Framework>;
  binder: Binder;
  events: EventSink;
  writeCondition?: ConditionWriter;
  decisions: DecisionLog;
  metrics: SchedulerMetrics;
  clock: Clock;
  random: () => number;
  percentageOfNodesToScore: number;
  /** The pod as the informer knows it now (undefined: deleted). */
  currentPod(key: string): Pod | undefined;
  log(line: Record<string, unknown>): void;
  /** Binds in flight at most; the loop waits for a slot beyond this. */
  maxBindsInFlight?: number;
}

export const DEFAULT_SCHEDULER = "default-scheduler";
/** Binds outstanding at once when nobody says otherwise (`--max-binds-in-flight`). */
export const DEFAULT_MAX_BINDS_IN_FLIGHT = 64;

export class ScheduleOne {
  private startIndex = 0;
  private inFlight = 0;
  private readonly binds = new Set<Promise<void>>();
  private slotWaiters: (() => void)[] = [];
  private readonly maxInFlight: number;

  constructor(private readonly d: ScheduleOneDeps) {
    this.maxInFlight = d.maxBindsInFlight ?? DEFAULT_MAX_BINDS_IN_FLIGHT;
  }

  /** Decides for one popped pod; a bind, if any, continues in the background. */
  run(qp: QueuedPod): void {
    const { d } = this;
    const pod = qp.pod;
    const current = d.currentPod(qp.key);
    // Deleted, being deleted, bound by someone else, or already ours: nothing to do.
    if (
      !current ||
      current.metadata.deletionTimestamp ||
      current.spec?.nodeName ||
      d.cache.isAssumed(qp.key)
    ) {
      d.queue.done(qp.key);
      return;
    }
    const profileName = pod.spec?.schedulerName ?? DEFAULT_SCHEDULER;
    const fwk = d.profiles.get(profileName);
    if (!fwk) {
      d.queue.done(qp.key);
      return;
    }
    const nodes = d.cache.nodeList();
    const t0 = performance.now();
    let r: ReturnType<typeof schedulePod>;
    try {
      r = schedulePod(fwk, pod, nodes, {
        percentageOfNodesToScore: d.percentageOfNodesToScore,
        startIndex: this.startIndex,
        random: d.random,
      });
    } catch (err) {
      // A plugin threw: a bug. Retry with backoff rather than lose the pod.
      d.log({
        level: "error",
        msg: "scheduling attempt failed",
        pod: qp.key,
        err: String((err as Error)?.stack ?? err),
      });
      d.metrics.attempts.inc({ result: "error", profile: profileName });
      d.queue.requeueBackoff(qp);
      return;
    }
    d.metrics.algorithmLatency.observe((performance.now() - t0) / 1000);
    if (nodes.length > 0) this.startIndex = (this.startIndex + r.evaluated) % nodes.length;
    d.decisions.record(
      recordOf(r, {
        pod: qp.key,
        uid: pod.metadata.uid,
        profile: profileName,
        attempt: qp.attempts,
        time: d.clock.now(),
      }),
    );

    if (!r.node) {
      const error = r.status.code === "Error";
      d.metrics.attempts.inc({ result: error ? "error" : "unschedulable", profile: profileName });
      d.events.event(pod, "Warning", "FailedScheduling", r.message);
      this.writeCondition(pod, error ? "SchedulerError" : "Unschedulable", r.message);
      if (error) d.queue.requeueBackoff(qp);
      else d.queue.requeueUnschedulable(qp, r.rejectedBy);
      return;
    }

    const node = r.node;
    d.cache.assume(pod, node);
    d.queue.done(qp.key);
    this.inFlight++;
    const bind = this.bind(qp, profileName, node).finally(() => {
      this.inFlight--;
      this.binds.delete(bind);
      this.slotWaiters.shift()?.();
    });
    this.binds.add(bind);
  }

  /** Resolves when another bind may start. */
  waitForSlot(): Promise<void> {
    if (this.inFlight < this.maxInFlight) return Promise.resolve();
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  /** Resolves when every bind started so far has finished. */
  async drain(): Promise<void> {
    while (this.binds.size) await Promise.all([...this.binds]);
  }

  private async bind(qp: QueuedPod, profile: string, node: string): Promise<void> {
    const { d } = this;
    const pod = qp.pod;
    const t0 = performance.now();
    try {
      await d.binder.bind(pod, node);
    } catch (err) {
      d.metrics.bindLatency.observe({ result: "error" }, (performance.now() - t0) / 1000);
      d.metrics.attempts.inc({ result: "error", profile });
      d.cache.forget(pod);
      // The node's resources are free again: pods waiting for room may fit now.
      d.queue.onEvent("AssignedPodDelete");
      const message = `Binding rejected: ${(err as Error)?.message ?? String(err)}`;
      d.log({ level: "warn", msg: "bind failed", pod: qp.key, node, err: message });
      d.decisions.bindFailed(qp.key, qp.attempts, message);
      const current = d.currentPod(qp.key);
      if (!current || current.spec?.nodeName || current.metadata.deletionTimestamp) return;
      d.events.event(pod, "Warning", "FailedScheduling", message);
      // A node deleted between decision and bind (404), a transient API failure: retry later.
      d.queue.requeueBackoff({ ...qp, pod: current });
      return;
    }
    d.metrics.bindLatency.observe({ result: "ok" }, (performance.now() - t0) / 1000);
    d.metrics.attempts.inc({ result: "scheduled", profile });
    d.metrics.e2eLatency.observe({ profile }, Math.max(0, d.clock.now() - qp.initialAttemptAt) / 1000);
    const ns = pod.metadata.namespace ?? "default";
    d.events.event(pod, "Normal", "Scheduled", `Successfully assigned ${ns}/${pod.metadata.name} to ${node}`);
  }

  private writeCondition(pod: Pod, reason: string, message: string): void {
    const { d } = this;
    if (!d.writeCondition) return;
    const cur = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (cur && cur.status === "False" && cur.reason === reason && cur.message === message) return;
    d.writeCondition(pod, reason, message).catch((err) =>
      d.log({
        level: "warn",
        msg: "could not update pod condition",
        pod: pod.metadata.name,
        err: String(err),
      }),
    );
  }
}
