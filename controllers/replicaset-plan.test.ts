import assert from "node:assert/strict";
import { test } from "node:test";
import type { Pod, ReplicaSet } from "../api/index.js";
import { planClaims } from "./claims.js";
import { planReplicas, planStatus, rankForDeletion } from "./replicaset-plan.js";
import { slowStartBatch } from "./slow-start.js";

const NOW = Date.parse("2026-01-01T00:10:00Z");
const rs: ReplicaSet = {
  metadata: { name: "web", namespace: "default", uid: "rs-uid", generation: 4 },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } } },
  },
};

function pod(
  name: string,
  o: {
    node?: string;
    phase?: string;
    readyAt?: string;
    created?: string;
    restarts?: number;
    owner?: string;
    labels?: Record<string, string>;
    deleting?: boolean;
  } = {},
): Pod {
  return {
    metadata: {
      name,
      namespace: "default",
      labels: o.labels ?? { app: "web" },
      creationTimestamp: o.created ?? "2026-01-01T00:00:00Z",
      ...(o.owner
        ? {
            ownerReferences: [
              { apiVersion: "apps/v1", kind: "ReplicaSet", name: "x", uid: o.owner, controller: true },
            ],
          }
        : {}),
      ...(o.deleting ? { deletionTimestamp: "2026-01-01T00:09:00Z" } : {}),
    },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: (o.phase ?? "Pending") as "Pending",
      ...(o.readyAt
        ? { conditions: [{ type: "Ready", status: "True" as const, lastTransitionTime: o.readyAt }] }
        : {}),
      ...(o.restarts
        ? {
            containerStatuses: [{ name: "c", ready: true, restartCount: o.restarts, image: "", imageID: "" }],
          }
        : {}),
    },
  };
}

test("claims: keep own matching pods, adopt matching orphans, release own non-matching, ignore others'", () => {
  const names = (ps: Pod[]) => ps.map((p) => p.metadata.name);
  const table: { pods: Pod[]; deleting?: boolean; owned: string[]; adopt: string[]; release: string[] }[] = [
    { pods: [pod("a", { owner: "rs-uid" })], owned: ["a"], adopt: [], release: [] },
    { pods: [pod("a")], owned: [], adopt: ["a"], release: [] },
    { pods: [pod("a", { deleting: true })], owned: [], adopt: [], release: [] },
    { pods: [pod("a", { labels: { app: "other" } })], owned: [], adopt: [], release: [] },
    { pods: [pod("a", { owner: "rs-uid", labels: { app: "other" } })], owned: [], adopt: [], release: ["a"] },
    { pods: [pod("a", { owner: "someone-else" })], owned: [], adopt: [], release: [] },
    // A ReplicaSet being deleted neither adopts nor releases.
    {
      pods: [pod("a"), pod("b", { owner: "rs-uid", labels: {} })],
      deleting: true,
      owned: ["b"],
      adopt: [],
      release: [],
    },
  ];
  for (const row of table) {
    const r = row.deleting ? { ...rs, metadata: { ...rs.metadata, deletionTimestamp: "x" } } : rs;
    const plan = planClaims(r, row.pods);
    assert.deepEqual(
      { owned: names(plan.owned), adopt: names(plan.adopt), release: names(plan.release) },
      { owned: row.owned, adopt: row.adopt, release: row.release },
    );
  }
});

test("replicas: create the shortfall, delete the excess, count only active pods, bounded by burst", () => {
  const table: { replicas: number; pods: Pod[]; burst?: number; create: number; del: number }[] = [
    { replicas: 3, pods: [pod("a")], create: 2, del: 0 },
    { replicas: 1, pods: [pod("a"), pod("b"), pod("c")], create: 0, del: 2 },
    { replicas: 2, pods: [pod("a"), pod("b")], create: 0, del: 0 },
    {
      replicas: 2,
      pods: [pod("a"), pod("b", { deleting: true }), pod("c", { phase: "Failed" })],
      create: 1,
      del: 0,
    },
    { replicas: 1000, pods: [], burst: 500, create: 500, del: 0 },
  ];
  for (const row of table) {
    const plan = planReplicas(
      { ...rs, spec: { ...rs.spec!, replicas: row.replicas } },
      row.pods,
      NOW,
      row.burst,
    );
    assert.equal(plan.create, row.create);
    assert.equal(plan.delete.length, row.del);
  }
});

test("deletion ranking: unscheduled, pending, not ready, crowded node, recently ready, restarts, newest go first", () => {
  const cases: [string, Pod, Pod][] = [
    ["unscheduled before scheduled", pod("a"), pod("b", { node: "n1" })],
    [
      "pending before running",
      pod("a", { node: "n1", phase: "Pending" }),
      pod("b", { node: "n2", phase: "Running" }),
    ],
    [
      "not ready before ready",
      pod("a", { node: "n1", phase: "Running" }),
      pod("b", { node: "n2", phase: "Running", readyAt: "2026-01-01T00:01:00Z" }),
    ],
    [
      "ready recently before ready long",
      pod("a", { node: "n1", phase: "Running", readyAt: "2026-01-01T00:09:00Z" }),
      pod("b", { node: "n2", phase: "Running", readyAt: "2026-01-01T00:01:00Z" }),
    ],
    [
      "more restarts first",
      pod("a", { node: "n1", phase: "Running", restarts: 5 }),
      pod("b", { node: "n2", phase: "Running" }),
    ],
    [
      "newer first",
      pod("a", { node: "n1", created: "2026-01-01T00:05:00Z" }),
      pod("b", { node: "n2", created: "2026-01-01T00:01:00Z" }),
    ],
  ];
  for (const [what, first, second] of cases) {
    assert.deepEqual(
      rankForDeletion([second, first], NOW).map((p) => p.metadata.name),
      ["a", "b"],
      what,
    );
  }
  // Two pods on one node and one alone: one from the crowded node goes first.
  const crowded = rankForDeletion(
    [pod("alone", { node: "n2" }), pod("x", { node: "n1" }), pod("y", { node: "n1" })],
    NOW,
  );
  assert.notEqual(crowded[0]!.metadata.name, "alone");
});

test("status: counts active pods, ready, available after minReadySeconds, and asks to come back", () => {
  const withMin = { ...rs, spec: { ...rs.spec!, minReadySeconds: 60 } };
  const pods = [
    pod("old", { phase: "Running", readyAt: "2026-01-01T00:05:00Z" }),
    pod("fresh", { phase: "Running", readyAt: "2026-01-01T00:09:30Z" }),
    pod("starting"),
    pod("gone", { deleting: true, readyAt: "2026-01-01T00:05:00Z" }),
  ];
  const { status, requeueAfterMs } = planStatus(withMin, pods, NOW);
  assert.deepEqual(
    [status.replicas, status.readyReplicas, status.availableReplicas, status.observedGeneration],
    [3, 2, 1, 4],
  );
  assert.ok(requeueAfterMs !== undefined && requeueAfterMs > 29_000 && requeueAfterMs <= 30_001);
  const failed = planStatus(rs, [], NOW, "quota exceeded").status;
  assert.equal(failed.conditions?.[0]?.type, "ReplicaFailure");
  const cleared = planStatus(
    { ...rs, status: { replicas: 0, conditions: failed.conditions } },
    [],
    NOW,
  ).status;
  assert.equal(cleared.conditions, undefined);
});

test("slow start: batches of 1, 2, 4 ... stop at the first failing batch", async () => {
  const calls: number[] = [];
  const ok = await slowStartBatch(10, 1, async (i) => {
    calls.push(i);
  });
  assert.deepEqual(ok, { succeeded: 10 });
  calls.length = 0;
  const failing = await slowStartBatch(100, 1, async (i) => {
    calls.push(i);
    if (i >= 3) throw new Error("forbidden");
  });
  // Batches 1 and 2 succeed (3 calls), the batch of 4 fails: 7 calls, not 100.
  assert.equal(calls.length, 7);
  assert.equal(failing.succeeded, 3);
  assert.match(String(failing.error), /forbidden/);
});
