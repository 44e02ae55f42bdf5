import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SchedulerCache } from "./cache.js";
import { makeNode, makePod } from "./fixtures.js";

describe("SchedulerCache", () => {
  test("an assumed pod counts at once; forgetting it frees the node", () => {
    const cache = new SchedulerCache();
    cache.addNode(makeNode("a"));
    const pod = makePod("p", { cpu: "1500m", memory: "1Gi" });
    cache.assume(pod, "a");
    const a = cache.nodeInfo("a")!;
    assert.deepEqual([a.requestedMilliCPU, a.requestedMemory, a.pods.size], [1500, 1 << 30, 1]);
    assert.ok(cache.isAssumed("default/p"));
    cache.forget(pod);
    assert.deepEqual([a.requestedMilliCPU, a.requestedMemory, a.pods.size], [0, 0, 0]);
  });

  test("the informer's bound pod confirms the assumption without counting it twice", () => {
    const cache = new SchedulerCache();
    cache.addNode(makeNode("a"));
    cache.assume(makePod("p", { cpu: "1" }), "a");
    cache.addPod(makePod("p", { cpu: "1", nodeName: "a" }));
    assert.equal(cache.isAssumed("default/p"), false);
    assert.equal(cache.nodeInfo("a")!.requestedMilliCPU, 1000);
    cache.forget(makePod("p")); // no longer assumed: nothing to forget
    assert.equal(cache.nodeInfo("a")!.requestedMilliCPU, 1000);
    cache.removePod(makePod("p"));
    assert.equal(cache.nodeInfo("a")!.requestedMilliCPU, 0);
  });

  test("request-less pods count the scoring defaults only in the non-zero sums", () => {
    const cache = new SchedulerCache();
    cache.addNode(makeNode("a"));
    cache.addPod(makePod("p", { nodeName: "a" }));
    const a = cache.nodeInfo("a")!;
    assert.deepEqual([a.requestedMilliCPU, a.nonZeroMilliCPU, a.nonZeroMemory], [0, 100, 200 * 1024 * 1024]);
  });

  test("a deleted node leaves the node list; pods reported before their node keep their accounting", () => {
    const cache = new SchedulerCache();
    cache.addPod(makePod("early", { cpu: "1", nodeName: "late" }));
    assert.equal(cache.nodeList().length, 0);
    cache.addNode(makeNode("late"));
    assert.deepEqual(
      cache.nodeList().map((n) => [n.name, n.requestedMilliCPU]),
      [["late", 1000]],
    );
    cache.removeNode(makeNode("late"));
    assert.equal(cache.nodeList().length, 0);
  });
});
