// The scheduling queue, after the kube-scheduler's PriorityQueue. Contract:
//
// - Every pending pod the scheduler is responsible for is in exactly one place:
//     active        ready to be tried: highest spec.priority first, then first come;
//     backoff       failed recently, waiting out its backoff (1 s doubling to 10 s per attempt);
//     unschedulable did not fit; waits for a cluster event that could change that;
//     gated         has schedulingGates; not tried until they are removed;
//     in flight     popped and being decided/bound right now.
// - A failed pod goes to unschedulable, unless a cluster event arrived while it was in flight
//   (then straight to backoff: the event may be what it needed — Kubernetes' moveRequestCycle).
//   A pod that hit an error (not a "does not fit") always goes to backoff.
// - A cluster event moves an unschedulable pod only if one of the plugins that rejected it
//   registered that event (EnqueueExtensions); it goes to backoff if its backoff has not run out
//   yet, else to active. Pods stuck unschedulable for 5 minutes are retried anyway.
// - Updates to a queued pod replace it where it is; an update to an unschedulable pod retries it
//   (its spec may have changed to fit). Deletes remove it from wherever it is.
// Time comes from an injected Clock: tests drive backoff with a FakeClock.

import type { Pod } from "../../api/index.js";
import type { Clock } from "../../client/index.js";
import type { ClusterEvent } from "../framework/interface.js";
import { podKey } from "../framework/node-info.js";
import { KeyedHeap } from "./heap.js";

export interface QueuedPod {
  key: string;
  pod: Pod;
  /** When the pod first entered the queue: the start of its end-to-end scheduling latency. */
  initialAttemptAt: number;
  /** When it last entered a sub-queue (for backoff and the unschedulable timeout). */
  timestamp: number;
  /** Scheduling attempts so far (each pop counts one). */
  attempts: number;
  /** Plugins that rejected it in the last attempt. */
  rejectedBy: Set<string>;
  /** Arrival order, the tie-breaker among equal priorities. */
  seq: number;
}

export interface SchedulingQueueOptions {
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Unschedulable pods are retried after this long even without an event (Kubernetes: 5 min). */
  maxUnschedulableMs?: number;
  /** Plugin name → the cluster events that can make pods it rejected fit. */
  eventsByPlugin: ReadonlyMap<string, readonly ClusterEvent[]>;
}

export interface PendingCounts {
  active: number;
  backoff: number;
  unschedulable: number;
  gated: number;
}

interface InFlight {
  qp: QueuedPod;
  cycle: number;
  deleted: boolean;
}

const UNSCHEDULABLE_FLUSH_MS = 30_000;

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly pluginsByEvent = new Map<ClusterEvent, Set<string>>();
  private readonly active = new KeyedHeap<QueuedPod>((q) => q.key, byPriority);
  private readonly backoff = new KeyedHeap<QueuedPod>(
    (q) => q.key,
    (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
  );
  private readonly unschedulable = new Map<string, QueuedPod>();
  private readonly gated = new Map<string, QueuedPod>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly waiters: ((qp: QueuedPod | undefined) => void)[] = [];
  private seq = 0;
  private cycle = 0;
  private moveRequestCycle = -1;
  private closed = false;
  private backoffTimer: { at: number; cancel: () => void } | undefined;
  private cancelFlush: (() => void) | undefined;

  constructor(opts: SchedulingQueueOptions) {
    this.clock = opts.clock;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 5 * 60_000;
    for (const [plugin, events] of opts.eventsByPlugin) {
      for (const ev of events) {
        const s = this.pluginsByEvent.get(ev) ?? new Set<string>();
        s.add(plugin);
        this.pluginsByEvent.set(ev, s);
      }
    }
    this.armFlush();
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.locate(key) || this.inFlight.has(key)) {
      this.update(pod, pod);
      return;
    }
    const now = this.clock.now();
    const qp: QueuedPod = {
      key,
      pod,
      initialAttemptAt: now,
      timestamp: now,
      attempts: 0,
      rejectedBy: new Set(),
      seq: this.seq++,
    };
    if (isGated(pod)) this.gated.set(key, qp);
    else this.pushActive(qp);
  }

  /** A newer version of a pending pod. */
  update(old: Pod, pod: Pod): void {
    const key = podKey(pod);
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.qp.pod = pod;
      return;
    }
    const where = this.locate(key);
    if (!where) {
      this.add(pod);
      return;
    }
    const qp = where.qp;
    qp.pod = pod;
    if (where.in === "active") this.active.push(qp);
    else if (where.in === "backoff") this.backoff.push(qp);
    else if (where.in === "gated") {
      if (!isGated(pod)) {
        this.gated.delete(key);
        this.pushActive(qp);
      }
    } else if (schedulingRelevantChange(old, pod)) {
      // The pod's spec may now fit (a toleration added, a selector fixed): try it again.
      this.unschedulable.delete(key);
      this.moveOut(qp);
    }
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    const flying = this.inFlight.get(key);
    if (flying) flying.deleted = true;
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.gated.delete(key);
    this.armBackoffTimer();
  }

  /** The next pod to try; waits while none is active. Undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const qp = this.active.pop();
    if (qp) return Promise.resolve(this.take(qp));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The scheduling cycle of the last pop (a counter). */
  get schedulingCycle(): number {
    return this.cycle;
  }

  /** The attempt for `qp` ended with the pod assumed and bound (or its bind under way). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /** The attempt ended with "does not fit": wait for an event (or backoff, if one came meanwhile). */
  requeueUnschedulable(qp: QueuedPod, rejectedBy: Set<string>): void {
    const flying = this.inFlight.get(qp.key);
    this.inFlight.delete(qp.key);
    if (flying?.deleted || this.closed || this.locate(qp.key)) return;
    qp.rejectedBy = rejectedBy;
    qp.timestamp = this.clock.now();
    if (flying && this.moveRequestCycle >= flying.cycle) this.pushBackoff(qp);
    else this.unschedulable.set(qp.key, qp);
  }

  /** The attempt failed for a reason other than fit (an error, a failed bind): retry after backoff. */
  requeueBackoff(qp: QueuedPod): void {
    const flying = this.inFlight.get(qp.key);
    this.inFlight.delete(qp.key);
    if (flying?.deleted || this.closed || this.locate(qp.key)) return;
    qp.rejectedBy = new Set();
    qp.timestamp = this.clock.now();
    this.pushBackoff(qp);
  }

  /** Something changed in the cluster: wake the unschedulable pods it could help. */
  onEvent(event: ClusterEvent): void {
    // Events no plugin registered cannot help anyone (pods bound at 1,000/s must not cost a scan each).
    const plugins = this.pluginsByEvent.get(event);
    if (!plugins) return;
    this.moveRequestCycle = this.cycle;
    for (const [key, qp] of this.unschedulable) {
      const woken = qp.rejectedBy.size === 0 || [...qp.rejectedBy].some((p) => plugins.has(p));
      if (!woken) continue;
      this.unschedulable.delete(key);
      this.moveOut(qp);
    }
  }

  pending(): PendingCounts {
    return {
      active: this.active.size,
      backoff: this.backoff.size,
      unschedulable: this.unschedulable.size,
      gated: this.gated.size,
    };
  }

  /** Where a pod is, for /debug and tests. */
  whereIs(key: string): "active" | "backoff" | "unschedulable" | "gated" | "inFlight" | undefined {
    if (this.inFlight.has(key)) return "inFlight";
    return this.locate(key)?.in;
  }

  /** How long a pod with `attempts` failed attempts waits: initial × 2^(attempts−1), capped. */
  backoffDuration(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts && d < this.maxBackoffMs; i++) d *= 2;
    return Math.min(d, this.maxBackoffMs);
  }

  close(): void {
    this.closed = true;
    this.backoffTimer?.cancel();
    this.backoffTimer = undefined;
    this.cancelFlush?.();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  private take(qp: QueuedPod): QueuedPod {
    this.cycle++;
    qp.attempts++;
    this.inFlight.set(qp.key, { qp, cycle: this.cycle, deleted: false });
    return qp;
  }

  private locate(
    key: string,
  ): { in: "active" | "backoff" | "unschedulable" | "gated"; qp: QueuedPod } | undefined {
    const a = this.active.get(key);
    if (a) return { in: "active", qp: a };
    const b = this.backoff.get(key);
    if (b) return { in: "backoff", qp: b };
    const u = this.unschedulable.get(key);
    if (u) return { in: "unschedulable", qp: u };
    const g = this.gated.get(key);
    if (g) return { in: "gated", qp: g };
    return undefined;
  }

  private pushActive(qp: QueuedPod): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.take(qp));
    else this.active.push(qp);
  }

  private pushBackoff(qp: QueuedPod): void {
    this.backoff.push(qp);
    this.armBackoffTimer();
  }

  /** Leaving unschedulable: to backoff while its backoff runs, else to active. */
  private moveOut(qp: QueuedPod): void {
    if (this.backoffExpiry(qp) > this.clock.now()) this.pushBackoff(qp);
    else this.pushActive(qp);
  }

  private backoffExpiry(qp: QueuedPod): number {
    return qp.attempts === 0 ? qp.timestamp : qp.timestamp + this.backoffDuration(qp.attempts);
  }

  /** One timer, for the earliest backoff expiry. */
  private armBackoffTimer(): void {
    const head = this.backoff.peek();
    if (!head || this.closed) {
      this.backoffTimer?.cancel();
      this.backoffTimer = undefined;
      return;
    }
    const at = this.backoffExpiry(head);
    if (this.backoffTimer && this.backoffTimer.at <= at) return;
    this.backoffTimer?.cancel();
    const cancel = this.clock.setTimer(at - this.clock.now(), () => {
      this.backoffTimer = undefined;
      this.flushBackoff();
    });
    this.backoffTimer = { at, cancel };
  }

  private flushBackoff(): void {
    const now = this.clock.now();
    for (
      let head = this.backoff.peek();
      head && this.backoffExpiry(head) <= now;
      head = this.backoff.peek()
    ) {
      this.pushActive(this.backoff.pop()!);
    }
    this.armBackoffTimer();
  }

  private armFlush(): void {
    this.cancelFlush = this.clock.setTimer(UNSCHEDULABLE_FLUSH_MS, () => {
      if (this.closed) return;
      const now = this.clock.now();
      for (const [key, qp] of this.unschedulable) {
        if (now - qp.timestamp < this.maxUnschedulableMs) continue;
        this.unschedulable.delete(key);
        this.moveOut(qp);
      }
      this.armFlush();
    });
  }
}

/** Kubernetes' PrioritySort: higher spec.priority first, then earlier arrival. */
function byPriority(a: QueuedPod, b: QueuedPod): boolean {
  const pa = a.pod.spec?.priority ?? 0;
  const pb = b.pod.spec?.priority ?? 0;
  return pa !== pb ? pa > pb : a.seq < b.seq;
}

function isGated(pod: Pod): boolean {
  return (pod.spec?.schedulingGates?.length ?? 0) > 0;
}

/**
 * Whether an update could change the pod's fit: anything but status and bookkeeping (Kubernetes'
 * isPodUpdated). Our own PodScheduled=False write must not wake the pod it describes.
 */
function schedulingRelevantChange(old: Pod, pod: Pod): boolean {
  const view = (p: Pod) =>
    JSON.stringify([p.spec, p.metadata.labels, p.metadata.annotations, p.metadata.deletionTimestamp]);
  return view(old) !== view(pod);
}
