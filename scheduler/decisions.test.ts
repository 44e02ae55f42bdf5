import assert from "node:assert/strict";
import { test } from "node:test";
import { SchedulerCache } from "./cache.js";
import { defaultSchedulerConfig } from "./config.js";
import { DecisionLog, recordOf, TOP_SCORES } from "./decisions.js";
import { makeNode, makePod } from "./fixtures.js";
import { schedulePod } from "./schedule-pod.js";

const fwk = defaultSchedulerConfig().profiles[0]!;
const opts = { percentageOfNodesToScore: 100, startIndex: 0, random: () => 0.5 };
const who = (attempt = 1) => ({
  pod: "default/p",
  uid: "u1",
  profile: "default-scheduler",
  attempt,
  time: Date.UTC(2026, 10, 26, 3, 0, 0),
});

/** 14 nodes, node i with i of 16 cpus used, plus two that turn the pod down for different reasons. */
function cluster(): SchedulerCache {
  const cache = new SchedulerCache();
  for (let i = 0; i < 14; i++) {
    cache.addNode(makeNode(`n${i}`, { cpu: "16" }));
    if (i > 0) cache.addPod(makePod(`used${i}`, { cpu: String(i), nodeName: `n${i}` }));
  }
  cache.addNode(makeNode("small", { cpu: "1" }));
  cache.addNode(makeNode("cordoned", { cpu: "16", unschedulable: true }));
  return cache;
}

test("a kept decision reads back as the ten best nodes, best first, each plugin's share adding up to the total", () => {
  const r = schedulePod(fwk, makePod("p", { cpu: "2" }), cluster().nodeList(), opts);
  const log = new DecisionLog();
  log.record(recordOf(r, who()));
  const d = log.get("default/p")!;
  assert.equal(d.result, "Scheduled");
  assert.equal(d.node, "n13", "bin-packing: the fullest node that fits");
  assert.equal(d.message, "chosen: n13");
  assert.equal(d.time, "2026-11-26T03:00:00.000Z");
  assert.equal(d.uid, "u1");
  assert.deepEqual(d.nodes, { total: 16, evaluated: 16, feasible: 14 });
  assert.deepEqual(
    d.filtered.map((f) => [f.plugin, f.reason, f.count, f.nodes]),
    [
      ["NodeResourcesFit", "Insufficient cpu", 1, ["small"]],
      ["NodeUnschedulable", "node(s) were unschedulable", 1, ["cordoned"]],
    ],
  );
  assert.equal(d.scores.length, TOP_SCORES);
  assert.deepEqual(
    d.scores.map((s) => s.node),
    ["n13", "n12", "n11", "n10", "n9", "n8", "n7", "n6", "n5", "n4"],
  );
  for (const s of d.scores) {
    const sum = Object.values(s.plugins).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - s.total) < 0.02, `${s.node}: ${JSON.stringify(s)}`);
    assert.ok("NodeResourcesFit" in s.plugins);
  }
  assert.ok(d.scores[0]!.total > d.scores[9]!.total);
});

test("an unschedulable pod keeps the summary and no scores; a refused bind marks only its own attempt", () => {
  const log = new DecisionLog();
  const big = schedulePod(fwk, makePod("p", { cpu: "64" }), cluster().nodeList(), opts);
  log.record(recordOf(big, who(1)));
  let d = log.get("default/p")!;
  assert.equal(d.result, "Unschedulable");
  assert.match(
    d.message,
    /^0\/16 nodes are available: 15 Insufficient cpu, 1 node\(s\) were unschedulable\.$/,
  );
  assert.deepEqual(d.scores, []);

  const fits = schedulePod(fwk, makePod("p", { cpu: "1" }), cluster().nodeList(), opts);
  log.record(recordOf(fits, who(2)));
  log.bindFailed("default/p", 1, "too late: an older attempt");
  assert.equal(log.get("default/p")!.result, "Scheduled");
  log.bindFailed("default/p", 2, 'Binding rejected: nodes "n13" not found');
  d = log.get("default/p")!;
  assert.equal(d.result, "BindFailed");
  assert.equal(d.message, 'Binding rejected: nodes "n13" not found');
});

test("the log keeps the newest pods only, newest first", () => {
  const log = new DecisionLog(2);
  const r = schedulePod(fwk, makePod("p", { cpu: "1" }), cluster().nodeList(), opts);
  for (const pod of ["default/a", "default/b", "default/c"]) log.record(recordOf(r, { ...who(), pod }));
  assert.equal(log.get("default/a"), undefined);
  assert.deepEqual(
    log.list().map((d) => d.pod),
    ["default/c", "default/b"],
  );
});

test("a kept decision does not change when the next attempts reuse the framework's score arrays", () => {
  const log = new DecisionLog();
  log.record(recordOf(schedulePod(fwk, makePod("p", { cpu: "2" }), cluster().nodeList(), opts), who()));
  const before = JSON.stringify(log.get("default/p"));
  // The same nodes for a bigger pod (the same arrays, every entry overwritten with other scores),
  // then more nodes (the arrays grow).
  const other = schedulePod(fwk, makePod("q", { cpu: "3" }), cluster().nodeList(), opts);
  assert.equal(other.feasible.length, 14);
  const bigger = cluster();
  for (let i = 0; i < 30; i++) bigger.addNode(makeNode(`extra${i}`, { cpu: "32" }));
  schedulePod(fwk, makePod("r", { cpu: "1" }), bigger.nodeList(), opts);
  assert.equal(JSON.stringify(log.get("default/p")), before);
});
