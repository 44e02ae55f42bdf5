import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.js";
import { podPrinter } from "./pods.js";

const NOW = new Date("2026-01-02T03:04:05Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MIN = 60_000;

function pod(spec: object, status: object, metadata: object = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p1", namespace: "default", creationTimestamp: ago(90 * MIN), ...metadata },
    spec,
    status,
  };
}

const one = { containers: [{ name: "main", image: "nginx" }] };
const two = { containers: [{ name: "a" }, { name: "b" }] };
const running = { running: { startedAt: ago(MIN) } };

// [case, pod, READY, STATUS, RESTARTS]
const CASES: [string, KubeObject, string, string, string][] = [
  ["pending without statuses shows the phase", pod(one, { phase: "Pending" }), "0/1", "Pending", "0"],
  [
    "a ready running container",
    pod(one, { phase: "Running", containerStatuses: [{ name: "main", ready: true, state: running }] }),
    "1/1",
    "Running",
    "0",
  ],
  [
    "restarts add up over containers; without a last termination time no age",
    pod(two, {
      phase: "Running",
      containerStatuses: [
        { name: "a", ready: true, restartCount: 3, state: running },
        { name: "b", restartCount: 3, state: running },
      ],
    }),
    "1/2",
    "Running",
    "6",
  ],
  [
    "the last restart's age follows the count",
    pod(one, {
      phase: "Running",
      containerStatuses: [
        {
          name: "main",
          ready: true,
          restartCount: 2,
          state: running,
          lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(5 * MIN) } },
        },
      ],
    }),
    "1/1",
    "Running",
    "2 (5m ago)",
  ],
  [
    "a waiting reason wins over the phase",
    pod(one, {
      phase: "Pending",
      containerStatuses: [{ name: "main", state: { waiting: { reason: "ContainerCreating" } } }],
    }),
    "0/1",
    "ContainerCreating",
    "0",
  ],
  [
    "crash loop",
    pod(one, {
      phase: "Running",
      containerStatuses: [
        { name: "main", restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } },
      ],
    }),
    "0/1",
    "CrashLoopBackOff",
    "4",
  ],
  [
    "image pull error",
    pod(one, {
      phase: "Pending",
      containerStatuses: [{ name: "main", state: { waiting: { reason: "ErrImagePull" } } }],
    }),
    "0/1",
    "ErrImagePull",
    "0",
  ],
  [
    "a terminated reason",
    pod(one, {
      phase: "Running",
      containerStatuses: [{ name: "main", state: { terminated: { exitCode: 137, reason: "OOMKilled" } } }],
    }),
    "0/1",
    "OOMKilled",
    "0",
  ],
  [
    "a terminated container without reason shows its signal",
    pod(one, {
      phase: "Running",
      containerStatuses: [{ name: "main", state: { terminated: { exitCode: 0, signal: 9 } } }],
    }),
    "0/1",
    "Signal:9",
    "0",
  ],
  [
    "a terminated container without reason or signal shows its exit code",
    pod(one, {
      phase: "Failed",
      containerStatuses: [{ name: "main", state: { terminated: { exitCode: 2 } } }],
    }),
    "0/1",
    "ExitCode:2",
    "0",
  ],
  [
    "a finished pod",
    pod(one, {
      phase: "Succeeded",
      containerStatuses: [{ name: "main", state: { terminated: { exitCode: 0, reason: "Completed" } } }],
    }),
    "0/1",
    "Completed",
    "0",
  ],
  [
    "one container completed while another runs, pod Ready: Running",
    pod(two, {
      phase: "Running",
      conditions: [{ type: "Ready", status: "True" }],
      containerStatuses: [
        { name: "a", state: { terminated: { exitCode: 0, reason: "Completed" } } },
        { name: "b", ready: true, state: running },
      ],
    }),
    "1/2",
    "Running",
    "0",
  ],
  [
    "one container completed while another runs, pod not Ready: NotReady",
    pod(two, {
      phase: "Running",
      containerStatuses: [
        { name: "a", state: { terminated: { exitCode: 0, reason: "Completed" } } },
        { name: "b", ready: true, state: running },
      ],
    }),
    "1/2",
    "NotReady",
    "0",
  ],
  [
    "status.reason replaces the phase (evicted)",
    pod(one, { phase: "Failed", reason: "Evicted" }),
    "0/1",
    "Evicted",
    "0",
  ],
  [
    "scheduling gates",
    pod(one, {
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }],
    }),
    "0/1",
    "SchedulingGated",
    "0",
  ],
  [
    "the second of two init containers is running",
    pod(
      { ...one, initContainers: [{ name: "i1" }, { name: "i2" }] },
      {
        phase: "Pending",
        initContainerStatuses: [
          { name: "i1", state: { terminated: { exitCode: 0, reason: "Completed" } } },
          { name: "i2", state: running },
        ],
        containerStatuses: [{ name: "main", state: { waiting: { reason: "PodInitializing" } } }],
      },
    ),
    "0/1",
    "Init:1/2",
    "0",
  ],
  [
    "an init container waiting to initialize counts as not started",
    pod(
      { ...one, initContainers: [{ name: "i1" }] },
      {
        phase: "Pending",
        initContainerStatuses: [{ name: "i1", state: { waiting: { reason: "PodInitializing" } } }],
      },
    ),
    "0/1",
    "Init:0/1",
    "0",
  ],
  [
    "an init container in a crash loop; its restarts count",
    pod(
      { ...one, initContainers: [{ name: "i1" }] },
      {
        phase: "Pending",
        initContainerStatuses: [
          { name: "i1", restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } } },
        ],
      },
    ),
    "0/1",
    "Init:CrashLoopBackOff",
    "3",
  ],
  [
    "an init container that failed with a reason",
    pod(
      { ...one, initContainers: [{ name: "i1" }] },
      {
        phase: "Pending",
        initContainerStatuses: [{ name: "i1", state: { terminated: { exitCode: 1, reason: "Error" } } }],
      },
    ),
    "0/1",
    "Init:Error",
    "0",
  ],
  [
    "an init container that failed without a reason",
    pod(
      { ...one, initContainers: [{ name: "i1" }] },
      { phase: "Pending", initContainerStatuses: [{ name: "i1", state: { terminated: { exitCode: 3 } } }] },
    ),
    "0/1",
    "Init:ExitCode:3",
    "0",
  ],
  [
    "a started sidecar counts toward READY and its restarts show",
    pod(
      { ...one, initContainers: [{ name: "proxy", restartPolicy: "Always" }] },
      {
        phase: "Running",
        conditions: [{ type: "Initialized", status: "True" }],
        initContainerStatuses: [
          { name: "proxy", started: true, ready: true, restartCount: 1, state: running },
        ],
        containerStatuses: [{ name: "main", ready: true, state: running }],
      },
    ),
    "2/2",
    "Running",
    "1",
  ],
  [
    "deletion started: Terminating",
    pod(
      one,
      { phase: "Running", containerStatuses: [{ name: "main", ready: true, state: running }] },
      { deletionTimestamp: ago(MIN) },
    ),
    "1/1",
    "Terminating",
    "0",
  ],
  [
    "deletion of a finished pod keeps its status",
    pod(
      one,
      {
        phase: "Succeeded",
        containerStatuses: [{ name: "main", state: { terminated: { exitCode: 0, reason: "Completed" } } }],
      },
      { deletionTimestamp: ago(MIN) },
    ),
    "0/1",
    "Completed",
    "0",
  ],
  [
    "deletion of a pod on a lost node: Unknown",
    pod(one, { phase: "Running", reason: "NodeLost" }, { deletionTimestamp: ago(MIN) }),
    "0/1",
    "Unknown",
    "0",
  ],
];

test("pod READY, STATUS and RESTARTS cells", () => {
  for (const [name, p, ready, status, restarts] of CASES) {
    const cells = podPrinter.cells(p, NOW);
    assert.deepEqual(cells.slice(0, 5), ["p1", ready, status, restarts, "90m"], name);
  }
});

test("pod wide cells: IP, node, nominated node, readiness gates", () => {
  const scheduled = pod(
    {
      ...one,
      nodeName: "node-1",
      readinessGates: [{ conditionType: "lb/ready" }, { conditionType: "dns/ready" }],
    },
    {
      phase: "Running",
      podIP: "10.0.0.7",
      podIPs: [{ ip: "10.0.0.7" }, { ip: "fd00::7" }],
      conditions: [
        { type: "lb/ready", status: "True" },
        { type: "dns/ready", status: "False" },
      ],
    },
  );
  assert.deepEqual(podPrinter.cells(scheduled, NOW).slice(5), ["10.0.0.7", "node-1", "<none>", "1/2"]);
  const pending = pod(one, { phase: "Pending", nominatedNodeName: "node-2" });
  assert.deepEqual(podPrinter.cells(pending, NOW).slice(5), ["<none>", "<none>", "node-2", "<none>"]);
  assert.equal(podPrinter.columns.length, podPrinter.cells(pending, NOW).length);
});

test("finished pods carry a Completed row condition", () => {
  assert.deepEqual(podPrinter.conditions?.(pod(one, { phase: "Succeeded" })), [
    {
      type: "Completed",
      status: "True",
      reason: "Succeeded",
      message: "The pod has completed successfully.",
    },
  ]);
  assert.deepEqual(podPrinter.conditions?.(pod(one, { phase: "Failed" })), [
    { type: "Completed", status: "True", reason: "Failed", message: "The pod failed." },
  ]);
  assert.equal(podPrinter.conditions?.(pod(one, { phase: "Running" })), undefined);
});

test("pod columns are Kubernetes' names, wide ones at priority 1", () => {
  assert.deepEqual(
    podPrinter.columns.map((c) => `${c.name}:${c.priority}`),
    [
      "Name:0",
      "Ready:0",
      "Status:0",
      "Restarts:0",
      "Age:0",
      "IP:1",
      "Node:1",
      "Nominated Node:1",
      "Readiness Gates:1",
    ],
  );
});
