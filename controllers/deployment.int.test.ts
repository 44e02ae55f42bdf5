import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Deployment, Pod, ReplicaSet } from "../api/index.js";
import { formatLabelSelector } from "../api/index.js";
import { isInvalid, isNotFound } from "../client/index.js";
import { DEPLOYMENTS, REPLICASETS } from "./context.js";
import { REVISION } from "./deployment-util.js";
import { container, kubectlFor, type Stack, startPodAgent, startStack, waitFor } from "./test-helpers.js";

let stack: Stack;
let agent: ReturnType<typeof startPodAgent>;
let tools: ReturnType<typeof kubectlFor>;
/** Invariant checks registered by tests, run on every pod event the agent sees. */
const watchers = new Set<(pods: Pod[]) => void>();

before(async () => {
  stack = await startStack(["replicaset", "deployment", "garbagecollector"]);
  agent = startPodAgent(stack.client, {
    // Pods of a "broken" image never become ready: a crash-looping template.
    shouldBeReady: (p) => p.spec?.containers[0]?.image !== "broken",
    onChange: (pods) => {
      for (const w of watchers) w(pods);
    },
  });
  tools = kubectlFor(stack.cluster.url);
});
after(async () => {
  await agent?.stop();
  await stack?.stop();
  tools?.cleanup();
});

const kubectl = (...args: string[]) => tools.kubectl(...args);

function deployment(name: string, replicas: number, spec: Partial<Deployment["spec"]> = {}): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container("busybox:1")] } },
      ...spec,
    },
  };
}

const get = (name: string) => stack.client.get<Deployment>(DEPLOYMENTS, name, { namespace: "default" });

async function setImage(name: string, image: string): Promise<void> {
  const patch = [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: image }];
  await stack.client.patch(DEPLOYMENTS, name, "json", patch, { namespace: "default" });
}

async function replicaSetsOf(d: Deployment): Promise<ReplicaSet[]> {
  const list = await stack.client.list<ReplicaSet>(REPLICASETS, {
    namespace: "default",
    labelSelector: formatLabelSelector(d.spec!.selector),
  });
  return list.items.filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid));
}

/** What `kubectl rollout status` calls success (rollout_status.go). */
function rolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) >= want &&
    (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0)
  );
}

const waitRolledOut = (name: string, what: string) =>
  waitFor(
    async () => {
      const d = await get(name);
      return rolledOut(d) ? d : undefined;
    },
    { timeoutMs: 30_000, what },
  );

const live = (pods: Pod[], app: string) =>
  pods.filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp);
/** Runs `during` while recording the most pods and the fewest ready pods of `app` seen on the watch. */
async function observeBounds(
  app: string,
  during: () => Promise<void>,
): Promise<{ maxPods: number; minReady: number }> {
  const seen = { maxPods: 0, minReady: Number.POSITIVE_INFINITY };
  const check = (pods: Pod[]) => {
    const mine = live(pods, app);
    seen.maxPods = Math.max(seen.maxPods, mine.length);
    seen.minReady = Math.min(seen.minReady, mine.filter(ready).length);
  };
  watchers.add(check);
  try {
    await during();
  } finally {
    watchers.delete(check);
  }
  return seen;
}

const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");

test("RollingUpdate stays within maxSurge and maxUnavailable at every observed moment", async () => {
  const spec = {
    strategy: { type: "RollingUpdate" as const, rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
  };
  await stack.client.create(DEPLOYMENTS, deployment("roll", 4, spec));
  const first = await waitRolledOut("roll", "first rollout");
  assert.equal(first.metadata.annotations?.[REVISION], "1");

  const { maxPods, minReady } = await observeBounds("roll", async () => {
    await setImage("roll", "busybox:2");
    const d = await waitRolledOut("roll", "rolling update to busybox:2");
    assert.equal(d.metadata.annotations?.[REVISION], "2");
  });
  assert.ok(maxPods <= 5, `never more than replicas + maxSurge pods (saw ${maxPods})`);
  assert.ok(minReady >= 3, `never fewer than replicas - maxUnavailable ready (saw ${minReady})`);
  assert.ok(maxPods === 5 || minReady === 3, "the rollout actually used its surge or unavailability budget");

  const d = await get("roll");
  const rss = await replicaSetsOf(d);
  assert.equal(rss.length, 2);
  const byRevision = new Map(rss.map((rs) => [rs.metadata.annotations?.[REVISION], rs]));
  assert.equal(byRevision.get("1")?.spec?.replicas, 0);
  assert.equal(byRevision.get("2")?.spec?.replicas, 4);
  assert.ok(byRevision.get("2")?.metadata.labels?.["pod-template-hash"]);
  const available = d.status?.conditions?.find((c) => c.type === "Available");
  const progressing = d.status?.conditions?.find((c) => c.type === "Progressing");
  assert.equal(available?.status, "True");
  assert.equal(progressing?.reason, "NewReplicaSetAvailable");
});

test("the real kubectl: rollout status, history, undo (re-uses the old ReplicaSet), restart, scale", async () => {
  await stack.client.create(DEPLOYMENTS, deployment("kweb", 2));
  const status = await kubectl("rollout", "status", "deploy/kweb", "--timeout=30s");
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /successfully rolled out/);

  const setImg = await kubectl("set", "image", "deploy/kweb", "c=busybox:2");
  assert.equal(setImg.code, 0, setImg.stderr);
  assert.equal((await kubectl("rollout", "status", "deploy/kweb", "--timeout=30s")).code, 0);
  const history = await kubectl("rollout", "history", "deploy/kweb");
  assert.equal(history.code, 0, history.stderr);
  assert.match(history.stdout, /^1\s/m);
  assert.match(history.stdout, /^2\s/m);

  const before = await replicaSetsOf(await get("kweb"));
  const undo = await kubectl("rollout", "undo", "deploy/kweb");
  assert.equal(undo.code, 0, undo.stderr);
  assert.match(undo.stdout, /rolled back/);
  assert.equal((await kubectl("rollout", "status", "deploy/kweb", "--timeout=30s")).code, 0);
  const d = await get("kweb");
  assert.equal(d.spec?.template.spec?.containers[0]?.image, "busybox:1");
  const afterUndo = await replicaSetsOf(d);
  assert.deepEqual(
    afterUndo.map((rs) => rs.metadata.name).sort(),
    before.map((rs) => rs.metadata.name).sort(),
    "rollback re-uses the revision-1 ReplicaSet",
  );
  const history2 = await kubectl("rollout", "history", "deploy/kweb");
  assert.match(history2.stdout, /^2\s/m);
  assert.match(history2.stdout, /^3\s/m);
  assert.doesNotMatch(history2.stdout, /^1\s/m, "the re-used revision takes the new number");

  const restart = await kubectl("rollout", "restart", "deploy/kweb");
  assert.equal(restart.code, 0, restart.stderr);
  assert.equal((await kubectl("rollout", "status", "deploy/kweb", "--timeout=30s")).code, 0);
  assert.equal((await replicaSetsOf(await get("kweb"))).length, 3);

  const scale = await kubectl("scale", "deploy/kweb", "--replicas=3");
  assert.equal(scale.code, 0, scale.stderr);
  const scaled = await waitRolledOut("kweb", "scaled to 3");
  assert.equal(scaled.status?.availableReplicas, 3);
  // describe finds events by the involved object's name, namespace, kind and uid.
  const describe = await kubectl("describe", "deploy/kweb");
  assert.equal(describe.code, 0, describe.stderr);
  assert.match(describe.stdout, /ScalingReplicaSet\s+.*Scaled up replica set kweb-\w+ from 2 to 3/);
});

test("Recreate takes every old pod down before the first new one exists", async () => {
  await stack.client.create(DEPLOYMENTS, deployment("rec", 2, { strategy: { type: "Recreate" } }));
  await waitRolledOut("rec", "first rollout");
  let mixed = false;
  const check = (pods: Pod[]) => {
    const images = new Set(live(pods, "rec").map((p) => p.spec?.containers[0]?.image));
    if (images.size > 1) mixed = true;
  };
  watchers.add(check);
  try {
    await setImage("rec", "busybox:2");
    await waitFor(
      async () => {
        const d = await get("rec");
        return rolledOut(d) && d.metadata.annotations?.[REVISION] === "2";
      },
      { timeoutMs: 30_000, what: "Recreate rollout" },
    );
  } finally {
    watchers.delete(check);
  }
  assert.equal(mixed, false, "old and new pods never coexisted");
});

test("a template that never becomes ready stalls at maxUnavailable and exceeds its progress deadline", async () => {
  const spec = {
    progressDeadlineSeconds: 2,
    strategy: { type: "RollingUpdate" as const, rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
  };
  await stack.client.create(DEPLOYMENTS, deployment("stall", 3, spec));
  await waitRolledOut("stall", "first rollout");
  let minReady = Number.POSITIVE_INFINITY;
  const check = (pods: Pod[]) => {
    minReady = Math.min(minReady, live(pods, "stall").filter(ready).length);
  };
  watchers.add(check);
  try {
    await setImage("stall", "broken");
    const d = await waitFor(
      async () => {
        const x = await get("stall");
        const p = x.status?.conditions?.find((c) => c.type === "Progressing");
        // Counts keep being reported after the deadline. The rollout settles at the floor: 2 old
        // available (3 - maxUnavailable) and 2 new never ready (total 4 = 3 + maxSurge).
        const settledAtFloor = x.status?.availableReplicas === 2 && x.status.updatedReplicas === 2;
        return p?.reason === "ProgressDeadlineExceeded" && settledAtFloor ? x : undefined;
      },
      { timeoutMs: 20_000, what: "ProgressDeadlineExceeded with 2 available, 2 updated" },
    );
    assert.equal(d.status?.conditions?.find((c) => c.type === "Progressing")?.status, "False");
    assert.equal(d.status?.unavailableReplicas, 2);
    assert.equal(d.status?.replicas, 4);
  } finally {
    watchers.delete(check);
  }
  assert.equal(minReady, 2, "old pods were never taken below replicas - maxUnavailable");
  const status = await kubectl("rollout", "status", "deploy/stall", "--timeout=10s");
  assert.notEqual(status.code, 0);
  assert.match(status.stderr, /exceeded its progress deadline/);
});

test("paused deployments do not roll out; revisionHistoryLimit prunes old ReplicaSets", async () => {
  await stack.client.create(DEPLOYMENTS, deployment("hist", 1, { revisionHistoryLimit: 1 }));
  await waitRolledOut("hist", "first rollout");
  await stack.client.patch(
    DEPLOYMENTS,
    "hist",
    "merge",
    { spec: { paused: true } },
    { namespace: "default" },
  );
  await setImage("hist", "busybox:2");
  await waitFor(
    async () => {
      const d = await get("hist");
      return (
        d.status?.conditions?.some((c) => c.reason === "DeploymentPaused") &&
        d.status.observedGeneration === d.metadata.generation
      );
    },
    { what: "paused condition" },
  );
  assert.equal((await replicaSetsOf(await get("hist"))).length, 1, "no new ReplicaSet while paused");
  await stack.client.patch(
    DEPLOYMENTS,
    "hist",
    "merge",
    { spec: { paused: null } },
    { namespace: "default" },
  );
  await waitRolledOut("hist", "rollout after resume");
  await setImage("hist", "busybox:3");
  await waitFor(
    async () => {
      const d = await get("hist");
      const rss = await replicaSetsOf(d);
      return rolledOut(d) && d.metadata.annotations?.[REVISION] === "3" && rss.length === 2;
    },
    { timeoutMs: 30_000, what: "revision 3 with one old ReplicaSet kept" },
  );
});

test("a Deployment deleted with orphan propagation and created again adopts its ReplicaSet", async () => {
  const { client } = stack;
  const first = await client.create(DEPLOYMENTS, deployment("adopt", 2));
  await waitRolledOut("adopt", "first rollout");
  const [rs] = await replicaSetsOf(first);
  await client.delete(DEPLOYMENTS, "adopt", {
    namespace: "default",
    options: { propagationPolicy: "Orphan" },
  });
  await waitFor(
    async () => {
      const cur = await client.get<ReplicaSet>(REPLICASETS, rs!.metadata.name!, { namespace: "default" });
      return !cur.metadata.ownerReferences?.length;
    },
    { timeoutMs: 15_000, what: "ReplicaSet orphaned" },
  );
  await waitFor(
    () =>
      get("adopt").then(
        () => false,
        (err) => isNotFound(err),
      ),
    { what: "Deployment gone" },
  );
  const second = await client.create(DEPLOYMENTS, deployment("adopt", 2));
  await waitRolledOut("adopt", "rollout of the new Deployment");
  const owned = await replicaSetsOf(second);
  assert.deepEqual(
    owned.map((r) => r.metadata.name),
    [rs!.metadata.name],
    "the orphan is adopted, no new ReplicaSet",
  );
});

test("controllers restarted in the middle of a rollout converge without breaking its bounds", async () => {
  const spec = {
    strategy: { type: "RollingUpdate" as const, rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
  };
  await stack.client.create(DEPLOYMENTS, deployment("restart", 4, spec));
  await waitRolledOut("restart", "first rollout");
  const { maxPods, minReady } = await observeBounds("restart", async () => {
    await setImage("restart", "busybox:2");
    await waitFor(async () => (await get("restart")).status?.updatedReplicas, { what: "rollout under way" });
    await stack.restartControllers();
    await waitFor(
      async () => {
        const d = await get("restart");
        return rolledOut(d) && d.metadata.annotations?.[REVISION] === "2";
      },
      { timeoutMs: 30_000, what: "rollout finished by the restarted controllers" },
    );
  });
  assert.ok(maxPods <= 5, `never more than replicas + maxSurge pods (saw ${maxPods})`);
  assert.ok(minReady >= 3, `never fewer than replicas - maxUnavailable ready (saw ${minReady})`);
});

test("an invalid template is refused by the API server before any ReplicaSet or pod exists", async () => {
  const bad = deployment("invalid", 2);
  bad.spec!.template.spec!.containers[0]!.image = "";
  await assert.rejects(stack.client.create(DEPLOYMENTS, bad), (err) => isInvalid(err));
  const rss = await stack.client.list(REPLICASETS, { namespace: "default", labelSelector: "app=invalid" });
  assert.equal(rss.items.length, 0);
});
