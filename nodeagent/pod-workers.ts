// Pod workers, after the kubelet's pod_workers.go: one worker per pod UID, so one pod's syncs never
// overlap and pods never wait on each other. The sync loop only dispatches updates here. A worker
// holds at most one pending update: a newer one replaces it, so a burst of watch events costs one
// sync with the latest pod. Each worker's lifecycle is an explicit state machine:
//
//   Syncing ──(deletionTimestamp set, or the pod vanished)──▶ Terminating ──▶ Terminated
//
// Syncing runs the planner/executor again and again (after each update, after the requeue the
// sync asked for, and at least every resync period). Terminating stops the containers within the
// grace period; Terminated cleans up and ends the worker. No transition leads back.

import type { Pod } from "../api/index.js";
import type { Clock } from "../client/index.js";

export type WorkerPhase = "Syncing" | "Terminating" | "Terminated";

const TRANSITIONS: Record<WorkerPhase, WorkerPhase[]> = {
  Syncing: ["Terminating"],
  Terminating: ["Terminated"],
  Terminated: [],
};

export class IllegalTransitionError extends Error {}

const MAX_FINISHED = 10_000;

export function transition(from: WorkerPhase, to: WorkerPhase, uid: string): WorkerPhase {
  if (!TRANSITIONS[from].includes(to))
    throw new IllegalTransitionError(`pod worker ${uid}: cannot go from ${from} to ${to}`);
  return to;
}

export interface PodSyncer {
  /** One sync of a live pod; may ask to be called again sooner than the resync period. */
  sync(pod: Pod): Promise<{ requeueAfterMs?: number }>;
  /** Stops everything the pod runs within `graceSeconds`. */
  terminate(pod: Pod, graceSeconds: number): Promise<void>;
  /** After termination: removes the runtime's leftovers and, if the API object still exists, deletes it. */
  cleanup(pod: Pod, stillInApi: boolean): Promise<void>;
}

interface Update {
  pod: Pod;
  /** The API object is gone (deleted with grace 0 by someone else, or never existed: an orphan). */
  gone: boolean;
}

interface Worker {
  uid: string;
  phase: WorkerPhase;
  latest: Pod;
  pending: Update | undefined;
  busy: boolean;
  cancelTimer: (() => void) | undefined;
  failures: number;
}

export interface PodWorkersOptions {
  syncer: PodSyncer;
  clock: Clock;
  /** Every pod is synced at least this often (kubelet: ~10 s). */
  resyncMs?: number;
  log(line: Record<string, unknown>): void;
}

/** Grace period of a pod being deleted: what the API server put in deletionGracePeriodSeconds. */
export function gracePeriodOf(pod: Pod, gone: boolean): number {
  if (gone && pod.metadata.deletionGracePeriodSeconds === undefined) return 0;
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  /** Uids whose worker finished, so a late event does not start the pod again. */
  private readonly finished = new Set<string>();
  private readonly idle = new Set<() => void>();
  private stopped = false;

  constructor(private readonly opts: PodWorkersOptions) {}

  /** The latest state of a pod from the API (add, update, resync, or a runtime/probe change). */
  update(pod: Pod): void {
    this.dispatch({ pod, gone: false });
  }

  /** The pod's API object is gone: stop what runs (immediately unless a grace period was given). */
  podGone(pod: Pod): void {
    this.dispatch({ pod, gone: true });
  }

  phaseOf(uid: string): WorkerPhase | undefined {
    return this.workers.get(uid)?.phase ?? (this.finished.has(uid) ? "Terminated" : undefined);
  }

  knows(uid: string): boolean {
    return this.workers.has(uid) || this.finished.has(uid);
  }

  /** Stops dispatching (running syncs finish; their containers keep running for the next agent). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers.values()) w.cancelTimer?.();
    await new Promise<void>((resolve) => {
      const check = () => {
        if ([...this.workers.values()].every((w) => !w.busy)) {
          this.idle.delete(check);
          resolve();
        }
      };
      this.idle.add(check);
      check();
    });
  }

  private dispatch(u: Update): void {
    const uid = u.pod.metadata.uid;
    if (!uid || this.stopped || this.finished.has(uid)) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = {
        uid,
        phase: "Syncing",
        latest: u.pod,
        pending: undefined,
        busy: false,
        cancelTimer: undefined,
        failures: 0,
      };
      this.workers.set(uid, w);
    }
    // "gone" is sticky: a later resync of the last known object must not undo it.
    const gone = u.gone || !!w.pending?.gone;
    w.pending = { pod: u.pod, gone };
    w.latest = u.pod;
    if (!w.busy) void this.run(w);
  }

  private async run(w: Worker): Promise<void> {
    w.busy = true;
    w.cancelTimer?.();
    w.cancelTimer = undefined;
    let requeueMs: number | undefined;
    try {
      // Updates that arrive once the pod is Terminated (its own DELETE coming back) have nothing left to do.
      while (w.pending && !this.stopped && w.phase !== "Terminated") {
        const { pod, gone } = w.pending;
        w.pending = undefined;
        if (w.phase === "Syncing" && (gone || pod.metadata.deletionTimestamp))
          w.phase = transition(w.phase, "Terminating", w.uid);
        try {
          if (w.phase === "Syncing") {
            requeueMs = (await this.opts.syncer.sync(pod)).requeueAfterMs;
          } else {
            await this.opts.syncer.terminate(pod, gracePeriodOf(pod, gone));
            await this.opts.syncer.cleanup(pod, !gone);
            w.phase = transition(w.phase, "Terminated", w.uid);
          }
          w.failures = 0;
        } catch (err) {
          // Transient (runtime or API server unavailable): try again with a capped backoff.
          w.failures++;
          requeueMs = Math.min(30_000, 500 * 2 ** Math.min(w.failures, 6));
          this.opts.log({
            level: "error",
            msg: "pod sync failed",
            pod: podRef(pod),
            phase: w.phase,
            err: String(err),
          });
        }
      }
    } finally {
      w.busy = false;
      if (w.phase === "Terminated") {
        this.workers.delete(w.uid);
        this.finished.add(w.uid);
        // Remember enough finished uids to absorb late events, not every pod the node ever ran.
        if (this.finished.size > MAX_FINISHED) this.finished.delete(this.finished.values().next().value!);
      } else if (!this.stopped) {
        const delay = Math.min(requeueMs ?? Infinity, this.opts.resyncMs ?? 10_000);
        w.cancelTimer = this.opts.clock.setTimer(delay, () => this.dispatch({ pod: w.latest, gone: false }));
      }
      for (const f of [...this.idle]) f();
    }
  }
}

export function podRef(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}
