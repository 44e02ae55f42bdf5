import assert from "node:assert/strict";
import { test } from "node:test";
import type { Pod } from "../../api/index.js";
import { type DrainFlags, planDrain } from "./plan.js";

const pod = (
  name: string,
  opts: { owner?: string; mirror?: boolean; emptyDir?: boolean; phase?: string } = {},
): Pod => ({
  metadata: {
    name,
    namespace: "default",
    ...(opts.owner
      ? {
          ownerReferences: [
            { apiVersion: "apps/v1", kind: opts.owner, name: "o", uid: "u", controller: true },
          ],
        }
      : {}),
    ...(opts.mirror ? { annotations: { "kubernetes.io/config.mirror": "x" } } : {}),
  },
  spec: { containers: [{ name: "c" }], ...(opts.emptyDir ? { volumes: [{ name: "v", emptyDir: {} }] } : {}) },
  status: { phase: (opts.phase ?? "Running") as "Running" },
});

const PODS = [
  pod("rs-pod", { owner: "ReplicaSet" }),
  pod("bare"),
  pod("ds-pod", { owner: "DaemonSet" }),
  pod("mirror", { mirror: true }),
  pod("scratch", { owner: "ReplicaSet", emptyDir: true }),
  pod("done", { phase: "Succeeded" }),
];

const names = (ps: Pod[]) => ps.map((p) => p.metadata.name);
const none: DrainFlags = { force: false, ignoreDaemonsets: false, deleteEmptydirData: false };

test("planDrain refuses what kubectl refuses, naming the flag that allows it", () => {
  const plan = planDrain(PODS, none);
  assert.deepEqual(plan.errors, [
    "cannot delete Pods that declare no controller (use --force to override): default/bare",
    "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/ds-pod",
    "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch",
  ]);
  assert.deepEqual(names(plan.evict), ["rs-pod", "done"]);
});

test("planDrain with every flag: evicts all but DaemonSet and mirror pods, and says so", () => {
  const plan = planDrain(PODS, { force: true, ignoreDaemonsets: true, deleteEmptydirData: true });
  assert.deepEqual(plan.errors, []);
  assert.deepEqual(names(plan.evict), ["rs-pod", "bare", "scratch", "done"]);
  assert.deepEqual(plan.warnings, [
    "deleting Pods that declare no controller: default/bare",
    "ignoring DaemonSet-managed Pods: default/ds-pod",
    "deleting Pods with local storage: default/scratch",
  ]);
});
