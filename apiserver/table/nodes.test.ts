import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.js";
import { nodePrinter } from "./nodes.js";

const NOW = new Date("2026-01-02T03:04:05Z");

function node(labels: Record<string, string>, spec: object, status: object): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: "node-1", labels, creationTimestamp: "2025-12-31T03:04:05Z" },
    spec,
    status,
  };
}

const info = {
  kubeletVersion: "v1.32.0-k8ts",
  osImage: "Debian GNU/Linux 12 (bookworm)",
  kernelVersion: "6.1.0-18-amd64",
  containerRuntimeVersion: "k8ts-shim://0.1.0",
};
const ready = (status: string) => ({
  conditions: [
    { type: "MemoryPressure", status: "False" },
    { type: "Ready", status },
  ],
  nodeInfo: info,
});

// [case, node, STATUS, ROLES]
const CASES: [string, KubeObject, string, string][] = [
  ["ready worker", node({}, {}, ready("True")), "Ready", "<none>"],
  ["not ready", node({}, {}, ready("False")), "NotReady", "<none>"],
  ["ready unknown (lost heartbeat) is NotReady", node({}, {}, ready("Unknown")), "NotReady", "<none>"],
  ["never reported", node({}, {}, {}), "Unknown", "<none>"],
  ["cordoned", node({}, { unschedulable: true }, ready("True")), "Ready,SchedulingDisabled", "<none>"],
  [
    "cordoned and never reported",
    node({}, { unschedulable: true }, {}),
    "Unknown,SchedulingDisabled",
    "<none>",
  ],
  [
    "roles from node-role labels, sorted",
    node(
      { "node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/control-plane": "", zone: "a" },
      {},
      ready("True"),
    ),
    "Ready",
    "control-plane,worker",
  ],
  [
    "the legacy kubernetes.io/role label, deduplicated",
    node({ "kubernetes.io/role": "worker", "node-role.kubernetes.io/worker": "" }, {}, ready("True")),
    "Ready",
    "worker",
  ],
  [
    "an empty role name is no role",
    node({ "node-role.kubernetes.io/": "", "kubernetes.io/role": "" }, {}, ready("True")),
    "Ready",
    "<none>",
  ],
];

test("node STATUS and ROLES cells", () => {
  for (const [name, n, status, roles] of CASES) {
    assert.deepEqual(nodePrinter.cells(n, NOW).slice(0, 4), ["node-1", status, roles, "2d"], name);
  }
});

test("node version and wide cells", () => {
  const n = node(
    {},
    {},
    {
      ...ready("True"),
      addresses: [
        { type: "Hostname", address: "node-1" },
        { type: "InternalIP", address: "10.0.0.1" },
        { type: "InternalIP", address: "10.0.0.2" },
      ],
    },
  );
  assert.deepEqual(nodePrinter.cells(n, NOW).slice(4), [
    "v1.32.0-k8ts",
    "10.0.0.1",
    "<none>",
    "Debian GNU/Linux 12 (bookworm)",
    "6.1.0-18-amd64",
    "k8ts-shim://0.1.0",
  ]);
  assert.deepEqual(nodePrinter.cells(node({}, {}, {}), NOW).slice(4), [
    "",
    "<none>",
    "<none>",
    "<unknown>",
    "<unknown>",
    "<unknown>",
  ]);
  assert.deepEqual(
    nodePrinter.columns.map((c) => `${c.name}:${c.priority}`),
    [
      "Name:0",
      "Status:0",
      "Roles:0",
      "Age:0",
      "Version:0",
      "Internal-IP:1",
      "External-IP:1",
      "OS-Image:1",
      "Kernel-Version:1",
      "Container-Runtime:1",
    ],
  );
});
