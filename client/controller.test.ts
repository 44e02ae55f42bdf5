import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { FakeClock } from "./clock.js";
import {
  Controller,
  enqueueOnEvents,
  queueActionFor,
  type ReconcileOutcome,
  type ReconcileResult,
} from "./controller.js";
import { ItemExponentialFailureRateLimiter } from "./workqueue/rate-limiters.js";
import { RateLimitingWorkQueue } from "./workqueue/rate-limiting-queue.js";

test("reconcile outcomes map one-to-one onto queue actions", () => {
  const boom = new Error("boom");
  const table: [Parameters<typeof queueActionFor>[0], string, number?][] = [
    [{ ok: true, result: undefined }, "forget"],
    [{ ok: true, result: {} }, "forget"],
    [{ ok: true, result: { requeueAfterMs: 0 } }, "forget"],
    [{ ok: true, result: { requeueAfterMs: 1500 } }, "forget_and_add_after", 1500],
    [{ ok: false, error: boom }, "add_rate_limited"],
  ];
  for (const [settled, kind, delay] of table) {
    const a = queueActionFor(settled);
    assert.equal(a.kind, kind, JSON.stringify(settled));
    if (delay !== undefined) assert.equal(a.kind === "forget_and_add_after" && a.delayMs, delay);
  }
});

/** A reconciler whose calls are answered one by one by the test. */
function scripted() {
  const calls: { key: string; answer: (r: ReconcileResult | Error) => void }[] = [];
  let notify: (() => void) | undefined;
  const reconcile = (key: string) =>
    new Promise<ReconcileResult>((resolve, reject) => {
      calls.push({ key, answer: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      notify?.();
    });
  const nextCall = async () => {
    while (calls.length === 0) await new Promise<void>((r) => (notify = r));
    return calls.shift()!;
  };
  return { reconcile, nextCall, pending: () => calls.length };
}

function setup(workers = 1) {
  const clock = new FakeClock();
  const queue = new RateLimitingWorkQueue<string>({
    clock,
    rateLimiter: new ItemExponentialFailureRateLimiter(100, 10_000),
  });
  const s = scripted();
  const outcomes: ReconcileOutcome[] = [];
  const c = new Controller({
    name: "test",
    reconcile: s.reconcile,
    workers,
    queue,
    clock,
    observer: { reconciled: (e) => outcomes.push(e.outcome) },
  });
  void c.run();
  return { clock, queue, c, outcomes, ...s };
}

/** Lets promise callbacks run (no time passes, real or fake). */
const settle = () => new Promise<void>((r) => setImmediate(r));

test("a failing key is retried with growing delays; success forgets its history", async () => {
  const { clock, queue, c, outcomes, nextCall } = setup();
  c.enqueue("ns/a");
  (await nextCall()).answer(new Error("transient"));
  await settle();
  assert.equal(queue.numRequeues("ns/a"), 1);
  clock.advance(99);
  await settle();
  assert.equal(queue.len(), 0, "not retried before its backoff");
  clock.advance(1);
  (await nextCall()).answer(new Error("again"));
  await settle();
  clock.advance(200);
  const third = await nextCall();
  assert.equal(third.key, "ns/a");
  third.answer(undefined);
  await settle();
  assert.equal(queue.numRequeues("ns/a"), 0);
  assert.deepEqual(outcomes, ["error", "error", "success"]);
  assert.equal(clock.pendingTimers(), 0, "nothing scheduled after success");
  await c.stop();
});

test("requeueAfter forgets the failures and checks again after exactly that delay", async () => {
  const { clock, queue, c, outcomes, nextCall } = setup();
  c.enqueue("k");
  (await nextCall()).answer(new Error("x"));
  await settle();
  clock.advance(100);
  (await nextCall()).answer({ requeueAfterMs: 5000 });
  await settle();
  assert.equal(queue.numRequeues("k"), 0);
  clock.advance(4999);
  await settle();
  assert.equal(queue.len(), 0);
  clock.advance(1);
  (await nextCall()).answer(undefined);
  await settle();
  assert.deepEqual(outcomes, ["error", "requeue_after", "success"]);
  await c.stop();
});

test("a key queued again while it is being reconciled runs again afterwards, never concurrently", async () => {
  const { c, nextCall, pending } = setup(4);
  c.enqueue("a");
  const first = await nextCall();
  c.enqueue("a");
  c.enqueue("a");
  c.enqueue("b");
  const other = await nextCall();
  assert.equal(other.key, "b");
  await settle();
  assert.equal(pending(), 0, "three idle workers, yet 'a' is not started twice");
  first.answer(undefined);
  const again = await nextCall();
  assert.equal(again.key, "a");
  again.answer(undefined);
  other.answer(undefined);
  await settle();
  assert.equal(pending(), 0, "the two re-adds collapsed into one run");
  await c.stop();
});

test("stop aborts the signal given to running reconciles and waits for them", async () => {
  let seen: AbortSignal | undefined;
  let finish!: () => void;
  const c = new Controller({
    name: "t",
    reconcile: (_key, signal) => {
      seen = signal;
      return new Promise<void>((r) => (finish = r));
    },
  });
  const run = c.run();
  c.enqueue("x");
  while (!seen) await settle();
  let stopped = false;
  const stopping = c.stop().then(() => (stopped = true));
  await settle();
  assert.equal(seen.aborted, true);
  assert.equal(stopped, false, "waits for the running reconcile");
  finish();
  await stopping;
  await run;
  c.enqueue("y");
  assert.equal(c.queue.len(), 0, "no keys accepted after stop");
});

test("informer events enqueue the object's key, or the keys the mapping gives", () => {
  const queued: string[] = [];
  const sink = { enqueue: (k: string) => void queued.push(k) };
  const pod = (owner: string): KubeObject => ({
    metadata: {
      namespace: "ns",
      name: "p",
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: owner, uid: owner }],
    },
  });
  const own = enqueueOnEvents(sink);
  own.onAdd?.(pod("rs1"), true);
  own.onDelete?.(pod("rs1"), false);
  const byOwner = enqueueOnEvents(sink, (p) =>
    (p.metadata.ownerReferences ?? []).map((o) => `${p.metadata.namespace}/${o.name}`),
  );
  byOwner.onUpdate?.(pod("rs1"), pod("rs2"));
  byOwner.onUpdate?.(pod("rs2"), pod("rs2"));
  assert.deepEqual(queued, ["ns/p", "ns/p", "ns/rs1", "ns/rs2", "ns/rs2"]);
});
