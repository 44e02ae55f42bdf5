// ScheduleOne with the real queue, cache and default plugins, and small fakes for the API side
// (binder, events) on a fake clock.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Pod } from "../api/index.js";
import { ApiError, FakeClock } from "../client/index.js";
import { SchedulerCache } from "./cache.js";
import { defaultSchedulerConfig } from "./config.js";
import { DecisionLog } from "./decisions.js";
import { makeNode, makePod } from "./fixtures.js";
import { SchedulerMetrics } from "./metrics.js";
import { SchedulingQueue } from "./queue/scheduling-queue.js";
import { ScheduleOne } from "./schedule-one.js";

function notFound(message: string): ApiError {
  return new ApiError({
    apiVersion: "v1",
    kind: "Status",
    metadata: {},
    status: "Failure",
    reason: "NotFound",
    code: 404,
    message,
  });
}

function harness() {
  const clock = new FakeClock();
  const fwk = defaultSchedulerConfig().profiles[0]!;
  const queue = new SchedulingQueue({ clock, eventsByPlugin: fwk.eventsToRegister() });
  const cache = new SchedulerCache();
  const pods = new Map<string, Pod>();
  const events: string[] = [];
  const binds: { pod: string; node: string; settle: (err?: Error) => void }[] = [];
  const decisions = new DecisionLog();
  const one = new ScheduleOne({
    queue,
    cache,
    profiles: new Map([[fwk.schedulerName, fwk]]),
    binder: {
      bind: (pod, node) =>
        new Promise<void>((resolve, reject) =>
          binds.push({ pod: pod.metadata.name!, node, settle: (err) => (err ? reject(err) : resolve()) }),
        ),
    },
    events: { event: (_pod, type, reason, message) => events.push(`${type} ${reason}: ${message}`) },
    decisions,
    metrics: new SchedulerMetrics(() => queue.pending()),
    clock,
    random: () => 0,
    percentageOfNodesToScore: 100,
    currentPod: (key) => pods.get(key),
    log: () => {},
  });
  const submit = (pod: Pod) => {
    pods.set(`default/${pod.metadata.name}`, pod);
    queue.add(pod);
  };
  const step = async () => one.run((await queue.pop())!);
  const settled = () => new Promise((r) => setImmediate(r));
  return { clock, queue, cache, pods, events, binds, decisions, submit, step, settled, one };
}

describe("ScheduleOne", () => {
  test("the next decision sees the previous pod before its bind has answered", async () => {
    const h = harness();
    h.cache.addNode(makeNode("a", { cpu: "4" }));
    h.cache.addNode(makeNode("b", { cpu: "4" }));
    h.submit(makePod("p1", { cpu: "3" }));
    h.submit(makePod("p2", { cpu: "3" }));
    await h.step();
    await h.step();
    assert.deepEqual(
      h.binds.map((b) => b.pod),
      ["p1", "p2"],
    );
    assert.notEqual(h.binds[0]!.node, h.binds[1]!.node, "p2 must not be packed onto p1's node");
    for (const b of h.binds) b.settle();
    await h.one.drain();
    assert.deepEqual(h.events, [
      `Normal Scheduled: Successfully assigned default/p1 to ${h.binds[0]!.node}`,
      `Normal Scheduled: Successfully assigned default/p2 to ${h.binds[1]!.node}`,
    ]);
    h.queue.close();
  });

  test("a bind refused because the node vanished frees the node and retries the pod after backoff", async () => {
    const h = harness();
    h.cache.addNode(makeNode("gone", { cpu: "4" }));
    h.submit(makePod("p", { cpu: "1" }));
    await h.step();
    assert.equal(h.cache.nodeInfo("gone")!.requestedMilliCPU, 1000, "assumed");
    h.binds[0]!.settle(notFound('nodes "gone" not found'));
    await h.one.drain();
    assert.equal(h.cache.nodeInfo("gone")!.requestedMilliCPU, 0, "forgotten");
    assert.equal(h.queue.whereIs("default/p"), "backoff");
    assert.match(h.events[0]!, /^Warning FailedScheduling: Binding rejected: .*nodes "gone" not found/);
    assert.equal(h.decisions.get("default/p")!.result, "BindFailed");
    h.clock.advance(1000);
    assert.equal(h.queue.whereIs("default/p"), "active");
    h.queue.close();
  });

  test("a pod deleted while its bind failed is dropped, not retried", async () => {
    const h = harness();
    h.cache.addNode(makeNode("a"));
    const pod = makePod("p");
    h.submit(pod);
    await h.step();
    h.pods.delete("default/p");
    h.queue.delete(pod);
    h.binds[0]!.settle(notFound('pods "p" not found'));
    await h.one.drain();
    assert.equal(h.queue.whereIs("default/p"), undefined);
    assert.deepEqual(h.events, []);
    h.queue.close();
  });

  test("a pod that fits nowhere is parked as unschedulable with a FailedScheduling event", async () => {
    const h = harness();
    h.cache.addNode(makeNode("small", { cpu: "1" }));
    h.submit(makePod("big", { cpu: "2" }));
    await h.step();
    assert.equal(h.binds.length, 0);
    assert.deepEqual(h.events, ["Warning FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu."]);
    assert.equal(h.queue.whereIs("default/big"), "unschedulable");
    h.queue.close();
  });
});
