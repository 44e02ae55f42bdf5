import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SchedulerCache } from "./cache.js";
import { defaultSchedulerConfig } from "./config.js";
import { makeNode, makePod } from "./fixtures.js";
import { Status } from "./framework/status.js";
import { fitErrorMessage, NO_NODES, numFeasibleNodesToFind, pickBest, schedulePod } from "./schedule-pod.js";

const fwk = defaultSchedulerConfig().profiles[0]!;
const opts = { percentageOfNodesToScore: 100, startIndex: 0, random: () => 0.5 };

describe("schedulePod", () => {
  test("packs onto the fullest feasible node and explains the rest", () => {
    const cache = new SchedulerCache();
    for (const n of ["a", "b", "c"]) cache.addNode(makeNode(n, { cpu: "4" }));
    cache.addNode(makeNode("cordoned", { unschedulable: true }));
    cache.addPod(makePod("x", { cpu: "3", nodeName: "b" }));
    cache.addPod(makePod("y", { cpu: "2", nodeName: "c" }));
    const r = schedulePod(fwk, makePod("p", { cpu: "2" }), cache.nodeList(), opts);
    assert.equal(r.node, "c"); // b has no room; c (2+2 of 4) is fuller than a
    assert.deepEqual(
      r.rejected.map((x) => [x.nodes, x.count, x.plugin, x.status.message()]),
      [
        [["b"], 1, "NodeResourcesFit", "Insufficient cpu"],
        [["cordoned"], 1, "NodeUnschedulable", "node(s) were unschedulable"],
      ],
    );
    assert.deepEqual(r.rejectedBy, new Set(["NodeResourcesFit", "NodeUnschedulable"]));
  });

  test("a pod that fits nowhere gets Kubernetes' summary", () => {
    const cache = new SchedulerCache();
    cache.addNode(makeNode("a", { cpu: "1" }));
    cache.addNode(makeNode("b", { cpu: "1", memory: "1Gi" }));
    cache.addNode(makeNode("c", { taints: [{ key: "k", value: "v", effect: "NoSchedule" }] }));
    const r = schedulePod(fwk, makePod("p", { cpu: "2", memory: "2Gi" }), cache.nodeList(), opts);
    assert.equal(r.node, undefined);
    assert.equal(r.status.code, "Unschedulable");
    assert.equal(
      r.message,
      "0/3 nodes are available: 2 Insufficient cpu, 1 Insufficient memory, 1 node(s) had untolerated taint {k: v}.",
    );
  });

  test("nodes turned down for the same reason are counted in one group that names the first 20", () => {
    const cache = new SchedulerCache();
    for (let i = 0; i < 60; i++) cache.addNode(makeNode(`full${i}`, { cpu: "1" }));
    for (let i = 0; i < 3; i++)
      cache.addNode(makeNode(`tainted${i}`, { taints: [{ key: "k", effect: "NoSchedule" }] }));
    const r = schedulePod(fwk, makePod("p", { cpu: "2" }), cache.nodeList(), opts);
    assert.deepEqual(
      r.rejected.map((g) => [g.plugin, g.status.message(), g.count, g.nodes.length]),
      [
        ["NodeResourcesFit", "Insufficient cpu", 60, 20],
        ["TaintToleration", "node(s) had untolerated taint {k: }", 3, 3],
      ],
    );
    assert.deepEqual(r.rejected[0]!.nodes.slice(0, 2), ["full0", "full1"]);
    assert.equal(
      r.message,
      "0/63 nodes are available: 60 Insufficient cpu, 3 node(s) had untolerated taint {k: }.",
    );
  });

  test("no nodes at all", () => {
    const r = schedulePod(fwk, makePod("p"), [], opts);
    assert.equal(r.message, NO_NODES);
    assert.equal(r.status.code, "Unschedulable");
  });

  test("stops filtering once enough feasible nodes are found, from the start index", () => {
    const cache = new SchedulerCache();
    for (let i = 0; i < 400; i++) cache.addNode(makeNode(`n${i}`));
    const r = schedulePod(fwk, makePod("p"), cache.nodeList(), {
      ...opts,
      percentageOfNodesToScore: 30,
      startIndex: 350,
    });
    assert.equal(r.evaluated, 120);
    assert.equal(r.feasible[0]!.name, "n350");
    assert.equal(r.feasible.at(-1)!.name, "n69");
  });
});

describe("helpers", () => {
  test("numFeasibleNodesToFind: all below 100 nodes or at 100 %, else the share but at least 100", () => {
    assert.equal(numFeasibleNodesToFind(10, 99), 99);
    assert.equal(numFeasibleNodesToFind(100, 5000), 5000);
    assert.equal(numFeasibleNodesToFind(10, 5000), 500);
    assert.equal(numFeasibleNodesToFind(1, 5000), 100);
    assert.equal(numFeasibleNodesToFind(0, 50), 50, "adaptive: small clusters are filtered whole");
    assert.equal(numFeasibleNodesToFind(0, 1000), 420);
    assert.equal(numFeasibleNodesToFind(0, 5000), 500);
    assert.equal(numFeasibleNodesToFind(0, 100_000), 5000, "never below 5 %");
  });

  test("pickBest breaks ties at random and never picks a lower score", () => {
    const totals = new Float64Array([10, 30, 30, 5, 30]);
    const seen = new Set<number>();
    for (const r of [0, 0.2, 0.4, 0.6, 0.8, 0.99]) seen.add(pickBest(totals, () => r));
    assert.deepEqual([...seen].sort(), [1, 2, 4]);
  });

  test("fitErrorMessage counts every reason of every node, largest first", () => {
    const rej = (nodes: string[], ...reasons: string[]) => ({
      nodes,
      count: nodes.length,
      plugin: "X",
      status: Status.unschedulable(...reasons),
    });
    assert.equal(
      fitErrorMessage(6, [
        rej(["a"], "Insufficient cpu", "Insufficient memory"),
        rej(["b", "d", "e"], "Insufficient cpu"),
        rej(["c"], "Too many pods"),
      ]),
      "0/6 nodes are available: 4 Insufficient cpu, 1 Insufficient memory, 1 Too many pods.",
    );
  });
});
