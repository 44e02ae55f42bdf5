import assert from "node:assert/strict";
import { test } from "node:test";
import type { Deployment, ReplicaSet } from "../../api/index.js";
import { rolloutStatus } from "./status.js";
import { planUndo } from "./undo.js";

const deployment = (
  status: Deployment["status"],
  extra: { generation?: number; replicas?: number } = {},
): Deployment => ({
  metadata: {
    name: "web",
    generation: extra.generation ?? 2,
    annotations: { "deployment.kubernetes.io/revision": "3" },
  },
  spec: {
    replicas: extra.replicas ?? 3,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "v3" }] } },
  },
  status,
});

test("rolloutStatus follows kubectl's rules in order", () => {
  const cases: [Deployment["status"], { generation?: number; replicas?: number }, string][] = [
    [{ observedGeneration: 1 }, {}, "Waiting for deployment spec update to be observed..."],
    [
      {
        observedGeneration: 2,
        updatedReplicas: 3,
        replicas: 3,
        availableReplicas: 3,
        conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }],
      },
      {},
      'error: deployment "web" exceeded its progress deadline',
    ],
    [
      { observedGeneration: 2, updatedReplicas: 1, replicas: 4 },
      {},
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    ],
    [
      { observedGeneration: 2, updatedReplicas: 3, replicas: 5 },
      {},
      'Waiting for deployment "web" rollout to finish: 2 old replicas are pending termination...',
    ],
    [
      { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 1 },
      {},
      'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...',
    ],
    [
      { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 },
      {},
      'done: deployment "web" successfully rolled out',
    ],
    [{ observedGeneration: 2 }, { replicas: 0 }, 'done: deployment "web" successfully rolled out'],
  ];
  for (const [status, extra, want] of cases) {
    const s = rolloutStatus(deployment(status, extra));
    const got = "error" in s ? `error: ${s.error}` : s.done ? `done: ${s.message}` : s.message;
    assert.equal(got, want);
  }
});

const rs = (revision: number, image: string, annotations: Record<string, string> = {}): ReplicaSet => ({
  metadata: {
    name: `web-${revision}`,
    annotations: { "deployment.kubernetes.io/revision": String(revision), ...annotations },
  },
  spec: {
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web", "pod-template-hash": `h${revision}` } },
      spec: { containers: [{ name: "c", image }] },
    },
  },
});

test("planUndo goes back one revision, or to the one asked for, with kubectl's JSON patch", () => {
  const owned = [
    rs(1, "v1"),
    rs(2, "v2", {
      "kubernetes.io/change-cause": "v2 please",
      "deployment.kubernetes.io/desired-replicas": "3",
    }),
    rs(3, "v3"),
  ];
  const back = planUndo(deployment({}), owned, 0);
  assert.deepEqual(back, {
    action: "patch",
    revision: 2,
    patch: [
      {
        op: "replace",
        path: "/spec/template",
        value: {
          metadata: { creationTimestamp: null, labels: { app: "web" } },
          spec: { containers: [{ name: "c", image: "v2" }] },
        },
      },
      {
        op: "replace",
        path: "/metadata/annotations",
        value: { "deployment.kubernetes.io/revision": "3", "kubernetes.io/change-cause": "v2 please" },
      },
    ],
  });
  const to1 = planUndo(deployment({}), owned, 1);
  assert.equal("action" in to1 && to1.action === "patch" && to1.revision, 1);
  assert.deepEqual(planUndo(deployment({}), owned, 3), { action: "skip", revision: 3 });
  assert.deepEqual(planUndo(deployment({}), owned, 7), { error: "unable to find the specified revision 7" });
  assert.deepEqual(planUndo(deployment({}), [rs(3, "v3")], 0), {
    error: "no rollout history found for deployment",
  });
  const paused = deployment({});
  paused.spec!.paused = true;
  assert.match(
    ("error" in planUndo(paused, owned, 0) && (planUndo(paused, owned, 0) as { error: string }).error) || "",
    /paused/,
  );
});
