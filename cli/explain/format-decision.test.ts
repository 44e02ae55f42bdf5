import assert from "node:assert/strict";
import { test } from "node:test";
import type { Decision } from "../../scheduler/index.js";
import { styleFor } from "../style.js";
import { formatDecision } from "./format-decision.js";

const plain = styleFor({ isTTY: false } as NodeJS.WriteStream, {});

test("a scheduled pod: filters with their nodes, scores by plugin, the chosen node marked", () => {
  const d: Decision = {
    pod: "default/web-1",
    profile: "default-scheduler",
    attempt: 1,
    time: "2026-11-26T03:00:00Z",
    result: "Scheduled",
    node: "node-2",
    message: "chosen: node-2",
    nodes: { total: 3, evaluated: 3, feasible: 2 },
    filtered: [{ plugin: "NodeResourcesFit", reason: "Insufficient cpu", count: 1, nodes: ["node-3"] }],
    scores: [
      { node: "node-2", total: 180, plugins: { NodeResourcesFit: 90, ImageLocality: 90 } },
      { node: "node-1", total: 150, plugins: { NodeResourcesFit: 60, ImageLocality: 90 } },
    ],
  };
  assert.equal(
    formatDecision(d, plain),
    `Pod default/web-1: Scheduled on node-2 (attempt 1, 2026-11-26T03:00:00Z, profile default-scheduler)
Nodes: 3 in the cluster, 3 evaluated, 2 feasible

Filtered out:
  PLUGIN             NODES   REASON             WHICH
  NodeResourcesFit   1       Insufficient cpu   node-3

Scores (best first):
    NODE     TOTAL   ImageLocality   NodeResourcesFit
  * node-2   180     90              90
    node-1   150     90              60
  (* chosen)
`,
  );
});

test("an unschedulable pod: the message and no scores", () => {
  const d: Decision = {
    pod: "default/big",
    profile: "default-scheduler",
    attempt: 4,
    time: "t",
    result: "Unschedulable",
    message: "0/2 nodes are available: 2 Insufficient memory.",
    nodes: { total: 2, evaluated: 2, feasible: 0 },
    filtered: [{ plugin: "NodeResourcesFit", reason: "Insufficient memory", count: 25, nodes: ["a", "b"] }],
    scores: [],
  };
  const text = formatDecision(d, plain);
  assert.match(text, /^Pod default\/big: Unschedulable \(attempt 4/);
  assert.match(text, /Message: 0\/2 nodes are available: 2 Insufficient memory\./);
  assert.match(text, /NodeResourcesFit\s+25\s+Insufficient memory\s+a, b, \+23 more/);
  assert.match(text, /Scores: none \(no feasible node\)/);
});
