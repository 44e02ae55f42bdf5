import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Pod } from "../../api/index.js";
import { FakeClock } from "../../client/index.js";
import { makePod } from "../fixtures.js";
import { type QueuedPod, SchedulingQueue } from "./scheduling-queue.js";

function newQueue(clock = new FakeClock()) {
  const queue = new SchedulingQueue({
    clock,
    eventsByPlugin: new Map([
      ["NodeResourcesFit", ["AssignedPodDelete", "NodeAdd"] as const],
      ["NodeAffinity", ["NodeAdd", "NodeUpdateLabel"] as const],
    ]),
  });
  return { queue, clock };
}

/** Pops without waiting: the test knows a pod is active. */
async function popNow(q: SchedulingQueue): Promise<QueuedPod> {
  const r = await Promise.race([q.pop(), new Promise<undefined>((r) => setImmediate(() => r(undefined)))]);
  assert.ok(r, "expected an active pod");
  return r;
}

describe("SchedulingQueue", () => {
  test("pops higher priority first, then first come", async () => {
    const { queue } = newQueue();
    queue.add(makePod("low-1"));
    queue.add(makePod("high", { priority: 100 }));
    queue.add(makePod("low-2"));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await popNow(queue)).pod.metadata.name);
    assert.deepEqual(order, ["high", "low-1", "low-2"]);
    queue.close();
  });

  test("pop waits for a pod and ends with undefined on close", async () => {
    const { queue } = newQueue();
    const waiting = queue.pop();
    queue.add(makePod("late"));
    assert.equal((await waiting)?.pod.metadata.name, "late");
    const ended = queue.pop();
    queue.close();
    assert.equal(await ended, undefined);
  });

  test("backoff doubles per attempt from 1 s and is capped at 10 s", () => {
    const { queue } = newQueue();
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => queue.backoffDuration(n)),
      [1000, 2000, 4000, 8000, 10000, 10000],
    );
    queue.close();
  });

  test("an errored pod comes back after its backoff, not before", async () => {
    const { queue, clock } = newQueue();
    queue.add(makePod("p"));
    queue.requeueBackoff(await popNow(queue)); // attempt 1: 1 s
    assert.equal(queue.whereIs("default/p"), "backoff");
    clock.advance(999);
    assert.equal(queue.whereIs("default/p"), "backoff");
    clock.advance(1);
    assert.equal(queue.whereIs("default/p"), "active");
    queue.requeueBackoff(await popNow(queue)); // attempt 2: 2 s
    clock.advance(1999);
    assert.equal(queue.whereIs("default/p"), "backoff");
    clock.advance(1);
    assert.equal(queue.whereIs("default/p"), "active");
    queue.close();
  });

  test("an unschedulable pod waits for an event one of its rejecting plugins registered", async () => {
    const { queue, clock } = newQueue();
    queue.add(makePod("p"));
    queue.requeueUnschedulable(await popNow(queue), new Set(["NodeAffinity"]));
    clock.advance(60_000);
    assert.equal(queue.whereIs("default/p"), "unschedulable");
    queue.onEvent("AssignedPodDelete"); // frees resources: no help for an affinity misfit
    assert.equal(queue.whereIs("default/p"), "unschedulable");
    queue.onEvent("NodeUpdateLabel");
    assert.equal(queue.whereIs("default/p"), "active");
    queue.close();
  });

  test("a woken pod still inside its backoff goes to backoff first", async () => {
    const { queue, clock } = newQueue();
    queue.add(makePod("p"));
    queue.requeueUnschedulable(await popNow(queue), new Set(["NodeResourcesFit"]));
    queue.onEvent("NodeAdd");
    assert.equal(queue.whereIs("default/p"), "backoff");
    clock.advance(1000);
    assert.equal(queue.whereIs("default/p"), "active");
    queue.close();
  });

  test("an event during the attempt sends the failed pod to backoff, not to wait for another event", async () => {
    const { queue, clock } = newQueue();
    queue.add(makePod("p"));
    const qp = await popNow(queue);
    queue.onEvent("NodeAdd"); // a node appeared while we were deciding
    queue.requeueUnschedulable(qp, new Set(["NodeResourcesFit"]));
    assert.equal(queue.whereIs("default/p"), "backoff");
    clock.advance(1000);
    assert.equal(queue.whereIs("default/p"), "active");
    queue.close();
  });

  test("unschedulable pods are retried after 5 minutes without any event", async () => {
    const { queue, clock } = newQueue();
    queue.add(makePod("p"));
    queue.requeueUnschedulable(await popNow(queue), new Set(["NodeAffinity"]));
    clock.advance(4 * 60_000);
    assert.equal(queue.whereIs("default/p"), "unschedulable");
    clock.advance(90_000);
    assert.equal(queue.whereIs("default/p"), "active");
    queue.close();
  });

  test("a spec change retries an unschedulable pod; a status-only change does not", async () => {
    const { queue, clock } = newQueue();
    const pod = makePod("p", { nodeSelector: { disk: "ssd" } });
    queue.add(pod);
    queue.requeueUnschedulable(await popNow(queue), new Set(["NodeAffinity"]));
    clock.advance(5000);
    const withStatus: Pod = { ...pod, status: { conditions: [{ type: "PodScheduled", status: "False" }] } };
    queue.update(pod, withStatus);
    assert.equal(queue.whereIs("default/p"), "unschedulable");
    const fixed = { ...withStatus, spec: { ...pod.spec!, nodeSelector: {} } };
    queue.update(withStatus, fixed);
    assert.equal(queue.whereIs("default/p"), "active");
    assert.deepEqual((await popNow(queue)).pod.spec?.nodeSelector, {});
    queue.close();
  });

  test("a pod deleted while in flight is not requeued", async () => {
    const { queue } = newQueue();
    const pod = makePod("p");
    queue.add(pod);
    const qp = await popNow(queue);
    queue.delete(pod);
    queue.requeueBackoff(qp);
    assert.equal(queue.whereIs("default/p"), undefined);
    queue.close();
  });

  test("gated pods wait until their scheduling gates are removed", async () => {
    const { queue } = newQueue();
    const gated = { ...makePod("p"), spec: { ...makePod("p").spec!, schedulingGates: [{ name: "wait" }] } };
    queue.add(gated);
    assert.deepEqual(queue.pending(), { active: 0, backoff: 0, unschedulable: 0, gated: 1 });
    queue.update(gated, makePod("p"));
    assert.deepEqual(queue.pending(), { active: 1, backoff: 0, unschedulable: 0, gated: 0 });
    queue.close();
  });
});
