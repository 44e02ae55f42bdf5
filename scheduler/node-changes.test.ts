import assert from "node:assert/strict";
import { test } from "node:test";
import type { Node } from "../api/index.js";
import { makeNode } from "./fixtures.js";
import { nodeChanges } from "./scheduler.js";

test("a node update is reported as the cluster events its changes amount to", () => {
  const base = makeNode("n");
  const heartbeat: Node = {
    ...base,
    metadata: { ...base.metadata, resourceVersion: "9" },
    status: { ...base.status, conditions: [{ type: "Ready", status: "True", lastHeartbeatTime: "later" }] },
  };
  const cases: [string, Node, string[]][] = [
    ["a heartbeat changes nothing that matters", heartbeat, []],
    ["more cpu", makeNode("n", { cpu: "8" }), ["NodeUpdateAllocatable"]],
    ["a new label", makeNode("n", { labels: { disk: "ssd" } }), ["NodeUpdateLabel"]],
    ["a taint", makeNode("n", { taints: [{ key: "k", effect: "NoSchedule" }] }), ["NodeUpdateTaint"]],
    ["cordoned", makeNode("n", { unschedulable: true }), ["NodeUpdateTaint"]],
    ["not ready", makeNode("n", { ready: false }), ["NodeUpdateCondition"]],
  ];
  for (const [what, next, want] of cases) assert.deepEqual(nodeChanges(base, next), want, what);
});
