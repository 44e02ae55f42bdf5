import assert from "node:assert/strict";
import { test } from "node:test";
import type { Deployment, ReplicaSet } from "../api/index.js";
import { type DeploymentPlan, planDeployment } from "./deployment-plan.js";
import {
  fenceposts,
  podTemplateHash,
  REVISION,
  REVISION_HISTORY,
  templatesEqual,
} from "./deployment-util.js";

const NOW = Date.parse("2026-01-01T01:00:00Z");
const template = (image: string) => ({
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "c", image }] },
});

function deploy(image: string, replicas = 4, extra: Partial<Deployment["spec"]> = {}): Deployment {
  return {
    metadata: { name: "web", namespace: "default", uid: "d-uid", generation: 2 },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: template(image),
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...extra,
    },
    status: { observedGeneration: 2 },
  };
}

function rs(
  image: string,
  revision: number,
  replicas: number,
  available = replicas,
  created = revision,
): ReplicaSet {
  const hash = podTemplateHash(template(image));
  return {
    metadata: {
      name: `web-${hash}`,
      namespace: "default",
      uid: `rs-${revision}`,
      creationTimestamp: `2026-01-01T00:0${created}:00Z`,
      annotations: { [REVISION]: String(revision), "deployment.kubernetes.io/desired-replicas": "4" },
      labels: { app: "web", "pod-template-hash": hash },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web", "pod-template-hash": hash } },
      template: { ...template(image), metadata: { labels: { app: "web", "pod-template-hash": hash } } },
    },
    status: { replicas, readyReplicas: available, availableReplicas: available },
  };
}

/** "create web-x 1", "scale web-x 4→3", "delete web-x": the plan's ReplicaSet writes, readably. */
function steps(plan: DeploymentPlan): string[] {
  return plan.actions.map((a) => {
    const image = a.rs.spec?.template?.spec?.containers[0]?.image;
    if (a.kind === "create")
      return `create ${image} ${a.rs.spec?.replicas} rev${a.rs.metadata.annotations?.[REVISION]}`;
    if (a.kind === "delete") return `delete ${image}`;
    return a.from === a.to
      ? `annotate ${image} rev${a.rs.metadata.annotations?.[REVISION]}`
      : `scale ${image} ${a.from}→${a.to}`;
  });
}

test("maxSurge rounds up, maxUnavailable rounds down, never both zero", () => {
  const table: [number, number | string, number | string, number, number][] = [
    [10, "25%", "25%", 3, 2],
    [1, "25%", "25%", 1, 0],
    [4, 0, 0, 0, 1],
    [3, "50%", 2, 2, 2],
    [0, "25%", "25%", 0, 1],
  ];
  for (const [replicas, maxSurge, maxUnavailable, surge, unavailable] of table) {
    const d = deploy("a", replicas, {
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } },
    });
    assert.deepEqual(
      fenceposts(d),
      { maxSurge: surge, maxUnavailable: unavailable },
      JSON.stringify([replicas, maxSurge, maxUnavailable]),
    );
  }
});

test("pod-template-hash: stable, blind to the hash label and nulls, changed by the template and collisions", () => {
  const t = template("a");
  const withHash = {
    ...t,
    metadata: { labels: { app: "web", "pod-template-hash": "xyz" }, creationTimestamp: null },
  };
  assert.equal(podTemplateHash(t), podTemplateHash(structuredClone(t)));
  assert.ok(templatesEqual(t, withHash as never));
  assert.equal(podTemplateHash(t), podTemplateHash(withHash as never));
  assert.notEqual(podTemplateHash(t), podTemplateHash(template("b")));
  assert.notEqual(podTemplateHash(t), podTemplateHash(t, 1));
  assert.match(podTemplateHash(t), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
});

test("RollingUpdate, one sync at a time (replicas 4, maxSurge 1, maxUnavailable 1)", () => {
  const table: { what: string; rss: ReplicaSet[]; want: string[] }[] = [
    { what: "first rollout", rss: [], want: ["create b 4 rev1"] },
    {
      what: "new template: surge by one, and old down by one",
      rss: [rs("a", 1, 4)],
      want: ["create b 1 rev2", "scale a 4→3"],
    },
    {
      what: "new pod not available: old down by one",
      rss: [rs("a", 1, 4), rs("b", 2, 1, 0)],
      want: ["scale a 4→3"],
    },
    { what: "within budget: new up", rss: [rs("a", 1, 3), rs("b", 2, 1, 1)], want: ["scale b 1→2"] },
    {
      what: "unhealthy old pods go even at the availability floor",
      rss: [rs("a", 1, 4, 2), rs("b", 2, 1, 0)],
      want: ["scale a 4→3"],
    },
    { what: "done", rss: [rs("a", 1, 0), rs("b", 2, 4)], want: [] },
  ];
  for (const row of table) {
    const plan = planDeployment({
      deployment: deploy("b"),
      replicaSets: row.rss,
      oldPodsRunning: false,
      now: NOW,
    });
    assert.deepEqual(steps(plan), row.want, row.what);
  }
});

test("Recreate: old to zero, wait for old pods, then the new ReplicaSet at full size", () => {
  const d = deploy("b", 4, { strategy: { type: "Recreate" } });
  const table: { rss: ReplicaSet[]; oldPodsRunning: boolean; want: string[] }[] = [
    { rss: [rs("a", 1, 4)], oldPodsRunning: true, want: ["scale a 4→0"] },
    { rss: [rs("a", 1, 0)], oldPodsRunning: true, want: [] },
    { rss: [rs("a", 1, 0)], oldPodsRunning: false, want: ["create b 4 rev2"] },
  ];
  for (const row of table) {
    const plan = planDeployment({
      deployment: d,
      replicaSets: row.rss,
      oldPodsRunning: row.oldPodsRunning,
      now: NOW,
    });
    assert.deepEqual(steps(plan), row.want);
  }
});

test("rollback re-uses the matching ReplicaSet under the next revision; history is pruned", () => {
  const back = planDeployment({
    deployment: deploy("a"),
    replicaSets: [rs("a", 1, 0), rs("b", 2, 4)],
    oldPodsRunning: false,
    now: NOW,
  });
  assert.deepEqual(steps(back), ["scale a 0→1"]);
  const reused = back.actions[0]!.rs;
  assert.equal(reused.metadata.annotations?.[REVISION], "3");
  assert.equal(reused.metadata.annotations?.[REVISION_HISTORY], "1");
  assert.equal(back.revision, "3");

  const limited = deploy("d", 4, { revisionHistoryLimit: 1 });
  const prune = planDeployment({
    deployment: limited,
    replicaSets: [rs("a", 1, 0), rs("b", 2, 0), rs("c", 3, 0), rs("d", 4, 4)],
    oldPodsRunning: false,
    now: NOW,
  });
  assert.deepEqual(steps(prune), ["delete a", "delete b"]);
});

test("paused: no new ReplicaSet, Progressing Unknown DeploymentPaused", () => {
  const plan = planDeployment({
    deployment: deploy("b", 4, { paused: true }),
    replicaSets: [rs("a", 1, 4)],
    oldPodsRunning: false,
    now: NOW,
  });
  assert.deepEqual(steps(plan), []);
  const p = plan.status.conditions?.find((c) => c.type === "Progressing");
  assert.deepEqual([p?.status, p?.reason], ["Unknown", "DeploymentPaused"]);
});

test("status as kubectl rollout status reads it, and the progress deadline", () => {
  const rss = [rs("a", 1, 3, 3), rs("b", 2, 2, 0)];
  const d = deploy("b");
  const stale = "2026-01-01T00:40:00Z";
  d.spec!.progressDeadlineSeconds = 600;
  d.status = {
    observedGeneration: 1,
    replicas: 5,
    updatedReplicas: 2,
    availableReplicas: 3,
    readyReplicas: 3,
    conditions: [
      {
        type: "Progressing",
        status: "True",
        reason: "ReplicaSetUpdated",
        lastUpdateTime: stale,
        lastTransitionTime: stale,
      },
    ],
  };
  const plan = planDeployment({ deployment: d, replicaSets: rss, oldPodsRunning: false, now: NOW });
  const s = plan.status;
  assert.deepEqual(
    [
      s.observedGeneration,
      s.replicas,
      s.updatedReplicas,
      s.readyReplicas,
      s.availableReplicas,
      s.unavailableReplicas,
    ],
    [2, 5, 2, 3, 3, 2],
  );
  const p = s.conditions?.find((c) => c.type === "Progressing");
  assert.deepEqual([p?.status, p?.reason], ["False", "ProgressDeadlineExceeded"]);
  const fresh = structuredClone(d);
  fresh.status!.conditions![0]!.lastUpdateTime = "2026-01-01T00:59:00Z";
  const waiting = planDeployment({ deployment: fresh, replicaSets: rss, oldPodsRunning: false, now: NOW });
  assert.equal(waiting.status.conditions?.find((c) => c.type === "Progressing")?.reason, "ReplicaSetUpdated");
  assert.ok(
    waiting.requeueAfterMs && waiting.requeueAfterMs > 500_000,
    "checks again when the deadline passes",
  );
});

test("scaling mid-rollout shares the change in proportion to the ReplicaSets' sizes", () => {
  // 10 → 20 replicas while old (6) and new (4) both run; maxSurge 3 (25% of 10, then of 20: 5).
  const d = deploy("b", 20, {
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
  });
  const old = rs("a", 1, 6);
  const fresh = rs("b", 2, 4, 0);
  for (const x of [old, fresh]) x.metadata.annotations!["deployment.kubernetes.io/desired-replicas"] = "10";
  const plan = planDeployment({ deployment: d, replicaSets: [old, fresh], oldPodsRunning: false, now: NOW });
  // 25 allowed (20 + 5), 10 running: +15 shared 6:4 → +9 and +6.
  assert.deepEqual(steps(plan).sort(), ["scale a 6→15", "scale b 4→10"]);
});
