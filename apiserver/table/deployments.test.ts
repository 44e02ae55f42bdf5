import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.js";
import { deploymentPrinter } from "./deployments.js";
import { replicaSetPrinter } from "./replicasets.js";

const NOW = new Date("2026-01-02T03:04:05Z");

const template = {
  metadata: { labels: { app: "web" } },
  spec: {
    containers: [
      { name: "nginx", image: "nginx:1.25" },
      { name: "sidecar", image: "busybox:1.36" },
    ],
  },
};

test("deployment cells: READY r/d, UP-TO-DATE and AVAILABLE as integers, wide containers, images, selector", () => {
  const d: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", creationTimestamp: "2026-01-02T03:03:56Z" },
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template },
    status: { replicas: 3, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 1 },
  };
  assert.deepEqual(deploymentPrinter.cells(d, NOW), [
    "web",
    "2/3",
    2,
    1,
    "9s",
    "nginx,sidecar",
    "nginx:1.25,busybox:1.36",
    "app=web",
  ]);
  const fresh: KubeObject = { ...d, status: {} };
  assert.deepEqual(deploymentPrinter.cells(fresh, NOW).slice(1, 4), ["0/3", 0, 0]);
  assert.deepEqual(
    deploymentPrinter.columns.map((c) => c.name),
    ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"],
  );
});

test("replica set cells: DESIRED CURRENT READY as integers; selector with expressions sorted by key", () => {
  const rs: KubeObject = {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: "web-5d4f", namespace: "default", creationTimestamp: "2026-01-02T00:04:05Z" },
    spec: {
      replicas: 3,
      selector: {
        matchLabels: { app: "web", "pod-template-hash": "5d4f" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["front", "edge"] },
          { key: "canary", operator: "DoesNotExist" },
          { key: "env", operator: "NotIn", values: ["dev"] },
          { key: "zone", operator: "Exists" },
        ],
      },
      template,
    },
    status: { replicas: 2, readyReplicas: 1 },
  };
  assert.deepEqual(replicaSetPrinter.cells(rs, NOW), [
    "web-5d4f",
    3,
    2,
    1,
    "3h",
    "nginx,sidecar",
    "nginx:1.25,busybox:1.36",
    "app=web,!canary,env notin (dev),pod-template-hash=5d4f,tier in (edge,front),zone",
  ]);
  const noSelector: KubeObject = { ...rs, spec: { replicas: 0, template } };
  assert.deepEqual(replicaSetPrinter.cells(noSelector, NOW).slice(1, 4), [0, 2, 1]);
  assert.equal(replicaSetPrinter.cells(noSelector, NOW)[7], "<none>");
});
