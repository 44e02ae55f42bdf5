// Running a reconciler: N workers take keys from a rate-limiting queue and call `reconcile(key)`.
// The reconciler is level-triggered (it reads the current state of the key and acts on the
// difference; it does not care which event queued the key), and its outcome maps one-to-one onto a
// queue operation, as in controller-runtime's reconcile.Result handling:
//
//   resolves with nothing          → forget (success: the key's failure history ends)
//   resolves { requeueAfterMs: n } → forget + addAfter(n) (not a failure: check again later)
//   throws                         → addRateLimited (retry with per-key exponential backoff)
//
// The same key is never reconciled by two workers at once (the queue's contract).
//
// Wiring, as in sample-controller: informer handlers enqueue keys (`enqueueOnEvents`), wait for the
// informers to sync, then `run()` the workers, so that no reconcile reads a half-filled cache.

import type { KubeObject } from "../api/index.js";
import { objectKey } from "./cache.js";
import { type Clock, realClock } from "./clock.js";
import type { EventHandlers } from "./informer.js";
import { type RateLimitingQueue, RateLimitingWorkQueue } from "./workqueue/rate-limiting-queue.js";

// `void` so that a plain `async (key) => { ... }` is a valid reconciler.
// biome-ignore lint/suspicious/noConfusingVoidType: see above
export type ReconcileResult = { requeueAfterMs?: number } | undefined | void;

/** Reconciles one key ("namespace/name"); `signal` aborts when the controller stops. */
export type Reconciler = (key: string, signal: AbortSignal) => Promise<ReconcileResult>;

export type ReconcileOutcome = "success" | "requeue_after" | "error";

/** What to do with a key after its reconcile, decided from the outcome alone. */
export type QueueAction =
  | { kind: "forget"; outcome: "success" }
  | { kind: "forget_and_add_after"; outcome: "requeue_after"; delayMs: number }
  | { kind: "add_rate_limited"; outcome: "error"; error: unknown };

export function queueActionFor(
  settled: { ok: true; result: ReconcileResult } | { ok: false; error: unknown },
): QueueAction {
  if (!settled.ok) return { kind: "add_rate_limited", outcome: "error", error: settled.error };
  const after = settled.result?.requeueAfterMs;
  if (after !== undefined && after > 0) {
    return { kind: "forget_and_add_after", outcome: "requeue_after", delayMs: after };
  }
  return { kind: "forget", outcome: "success" };
}

/** Hooks for metrics and logs; every method optional. */
export interface ControllerObserver {
  /** Called once per reconcile with its outcome and duration. */
  reconciled?(e: { controller: string; key: string; outcome: ReconcileOutcome; durationMs: number }): void;
  /** Called with the error of a failed reconcile, before the retry is scheduled. */
  reconcileError?(e: { controller: string; key: string; error: unknown; retries: number }): void;
}

export interface ControllerOptions {
  /** Used in metrics and logs: "replicaset", "scheduler". */
  name: string;
  reconcile: Reconciler;
  /** Concurrent workers; 1 when omitted. */
  workers?: number;
  /** A queue of your own (e.g. with a custom rate limiter); the default controller one otherwise. */
  queue?: RateLimitingQueue<string>;
  clock?: Clock;
  observer?: ControllerObserver;
}

export class Controller {
  readonly name: string;
  readonly queue: RateLimitingQueue<string>;
  private readonly reconcile: Reconciler;
  private readonly workers: number;
  private readonly observer: ControllerObserver;
  private readonly clock: Clock;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(opts: ControllerOptions) {
    this.name = opts.name;
    this.reconcile = opts.reconcile;
    this.workers = Math.max(1, opts.workers ?? 1);
    this.clock = opts.clock ?? realClock;
    this.queue = opts.queue ?? new RateLimitingWorkQueue<string>({ clock: this.clock });
    this.observer = opts.observer ?? {};
  }

  /** Queues a key (from an informer event handler, typically). */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Starts the workers; resolves when they have all exited after `stop()`. */
  run(): Promise<void> {
    this.running ??= Promise.all(Array.from({ length: this.workers }, () => this.worker())).then(() => {});
    return this.running;
  }

  /** Stops taking keys, aborts running reconciles' signal, waits for them to finish. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.queue.shutDownWithDrain();
    await this.running;
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.processOne(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async processOne(key: string): Promise<void> {
    const started = this.clock.now();
    let action: QueueAction;
    try {
      action = queueActionFor({ ok: true, result: await this.reconcile(key, this.abort.signal) });
    } catch (error) {
      action = queueActionFor({ ok: false, error });
    }
    switch (action.kind) {
      case "forget":
        this.queue.forget(key);
        break;
      case "forget_and_add_after":
        this.queue.forget(key);
        this.queue.addAfter(key, action.delayMs);
        break;
      case "add_rate_limited":
        this.observer.reconcileError?.({
          controller: this.name,
          key,
          error: action.error,
          retries: this.queue.numRequeues(key),
        });
        this.queue.addRateLimited(key);
        break;
    }
    this.observer.reconciled?.({
      controller: this.name,
      key,
      outcome: action.outcome,
      durationMs: this.clock.now() - started,
    });
  }
}

/**
 * Informer handlers that queue keys on every add, update and delete: the usual glue between an
 * informer and a controller. `keysOf` maps an object to the keys to reconcile: the object itself by
 * default, or for instance its controlling owner. An update queues the keys of the old and the new
 * state, so a change of owner reaches both.
 */
export function enqueueOnEvents<T extends KubeObject>(
  controller: Pick<Controller, "enqueue">,
  keysOf: (obj: T) => string[] = (obj) => [objectKey(obj)],
): EventHandlers<T> {
  const enqueue = (...objs: T[]) => {
    for (const key of new Set(objs.flatMap(keysOf))) controller.enqueue(key);
  };
  return {
    onAdd: (obj) => enqueue(obj),
    onUpdate: (oldObj, newObj) => enqueue(oldObj, newObj),
    onDelete: (obj) => enqueue(obj),
  };
}
