import assert from "node:assert/strict";
import { test } from "node:test";
import type { Node, Pod } from "../../api/index.js";
import { formatColumns } from "../printers/columns.js";
import { styleFor } from "../style.js";
import { nodeAllocation, podRequests } from "./allocation.js";
import { bar, topNodeRows } from "./bars.js";

const node = (name: string, cpu: string, memory: string): Node => ({
  metadata: { name },
  status: { allocatable: { cpu, memory, pods: "110" } },
});
const pod = (
  nodeName: string | undefined,
  cpu: string,
  memory: string,
  phase = "Running",
  init?: string,
): Pod => ({
  metadata: { name: "p" },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    containers: [
      { name: "a", resources: { requests: { cpu, memory } } },
      { name: "b", resources: { requests: { cpu: "100m" } } },
    ],
    ...(init ? { initContainers: [{ name: "i", resources: { requests: { cpu: init } } }] } : {}),
  },
  status: { phase: phase as "Running" },
});

test("podRequests: containers add up; the largest init container counts when it is larger", () => {
  assert.deepEqual(podRequests(pod("n", "400m", "64Mi")), { cpuMillis: 500, memoryBytes: 64 * 1024 ** 2 });
  assert.deepEqual(podRequests(pod("n", "400m", "64Mi", "Running", "2")), {
    cpuMillis: 2000,
    memoryBytes: 64 * 1024 ** 2,
  });
});

test("nodeAllocation counts the node's non-terminated pods only", () => {
  const pods = [
    pod("n1", "400m", "1Gi"),
    pod("n1", "900m", "1Gi", "Succeeded"),
    pod("n2", "1", "1Gi"),
    pod(undefined, "1", "1Gi"),
  ];
  const a = nodeAllocation(node("n1", "2", "4Gi"), pods);
  assert.deepEqual(a, {
    node: "n1",
    cpu: { requested: 500, allocatable: 2000 },
    memory: { requested: 1024 ** 3, allocatable: 4 * 1024 ** 3 },
    pods: { requested: 1, allocatable: 110 },
  });
});

test("top nodes rows: bars, figures and percentages", () => {
  assert.equal(bar(5, 10, 10), "[#####-----]");
  assert.equal(bar(30, 10, 4), "[####]");
  assert.equal(bar(1, 0, 4), "[----]");
  const plain = styleFor({ isTTY: false } as NodeJS.WriteStream, {});
  const rows = topNodeRows([nodeAllocation(node("n1", "2", "4Gi"), [pod("n1", "400m", "1Gi")])], plain);
  assert.equal(
    formatColumns(rows),
    "NAME   CPU(requests)                       MEMORY(requests)                     PODS\n" +
      "n1     [#####---------------] 500m/2 25%   [#####---------------] 1Gi/4Gi 25%   1/110\n",
  );
});
