import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Pod, ReplicaSet } from "../api/index.js";
import { PODS, REPLICASETS } from "./context.js";
import {
  container,
  markReady,
  ownedBy,
  podsOf,
  replicaSet,
  type Stack,
  scaleTo,
  startStack,
  waitFor,
} from "./test-helpers.js";

let stack: Stack;
before(async () => {
  stack = await startStack(["replicaset"]);
});
after(async () => {
  await stack?.stop();
});

async function waitPods(name: string, n: number, what: string): Promise<Pod[]> {
  return waitFor(
    async () => {
      const pods = await podsOf(stack.client, "default", `app=${name}`);
      return pods.length === n ? pods : undefined;
    },
    { timeoutMs: 15_000, what },
  );
}

async function waitStatus(name: string, ok: (rs: ReplicaSet) => boolean, what: string): Promise<ReplicaSet> {
  return waitFor(
    async () => {
      const rs = await stack.client.get<ReplicaSet>(REPLICASETS, name, { namespace: "default" });
      return ok(rs) ? rs : undefined;
    },
    { timeoutMs: 15_000, what },
  );
}

test("creates, reports, scales up and down (least valuable first) and heals", async () => {
  const { client } = stack;
  const rs = await client.create(REPLICASETS, replicaSet("web", 3));
  const pods = await waitPods("web", 3, "3 pods");
  for (const p of pods) assert.ok(ownedBy(p, rs), `${p.metadata.name} has a controller reference`);
  assert.ok(pods.every((p) => p.metadata.name?.startsWith("web-")));

  for (const p of pods) await markReady(client, p);
  const ready = await waitStatus(
    "web",
    (r) => r.status?.availableReplicas === 3 && r.status?.readyReplicas === 3,
    "status counts 3 ready and available",
  );
  assert.equal(ready.status?.replicas, 3);
  assert.equal(ready.status?.observedGeneration, ready.metadata.generation);

  await scaleTo(client, REPLICASETS, "web", 5);
  const five = await waitPods("web", 5, "5 pods after scale up");
  const readyNames = new Set(pods.map((p) => p.metadata.name));
  assert.equal(five.filter((p) => readyNames.has(p.metadata.name)).length, 3);

  // Scale down: the two new, not ready pods go first.
  await scaleTo(client, REPLICASETS, "web", 3);
  const three = await waitPods("web", 3, "3 pods after scale down");
  assert.deepEqual(new Set(three.map((p) => p.metadata.name)), readyNames);

  // Heal: a deleted pod is replaced by a new one.
  const victim = three[0]!.metadata.name!;
  await client.delete(PODS, victim, { namespace: "default" });
  const healed = await waitFor(
    async () => {
      const now = await podsOf(client, "default", "app=web");
      return now.length === 3 && !now.some((p) => p.metadata.name === victim) ? now : undefined;
    },
    { timeoutMs: 15_000, what: "a replacement pod" },
  );
  assert.ok(healed.every((p) => ownedBy(p, rs)));
  await waitStatus(
    "web",
    (r) => r.status?.readyReplicas === 2 && r.status?.replicas === 3,
    "status after healing",
  );
});

test("adopts a matching orphan and releases a pod that stops matching", async () => {
  const { client } = stack;
  const rs = await client.create(REPLICASETS, replicaSet("adopt", 2));
  await waitPods("adopt", 2, "2 pods");
  // A scheduled, ready orphan with the right labels: adopted, and an unscheduled pod of ours goes instead.
  const orphan = await client.create<Pod>(PODS, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "stray", namespace: "default", labels: { app: "adopt" } },
    spec: { nodeName: "n1", containers: [container()] },
  });
  await markReady(client, orphan);
  const after = await waitFor(
    async () => {
      const pods = await podsOf(client, "default", "app=adopt");
      const stray = pods.find((p) => p.metadata.name === "stray");
      return pods.length === 2 && stray && ownedBy(stray, rs) ? pods : undefined;
    },
    { timeoutMs: 15_000, what: "orphan adopted, total back to 2" },
  );
  assert.ok(after.every((p) => ownedBy(p, rs)));

  // Relabel the orphan: released (owner reference removed) and replaced.
  const cur = await client.get<Pod>(PODS, "stray", { namespace: "default" });
  cur.metadata.labels = { app: "elsewhere" };
  await client.update(PODS, cur);
  await waitFor(
    async () => {
      const stray = await client.get<Pod>(PODS, "stray", { namespace: "default" });
      const pods = await podsOf(client, "default", "app=adopt");
      return !stray.metadata.ownerReferences?.length && pods.length === 2;
    },
    { timeoutMs: 15_000, what: "released pod without owner reference and a replacement" },
  );
});

test("two ReplicaSets with overlapping selectors do not fight", async () => {
  const { client } = stack;
  const a = replicaSet("ov-a", 2);
  const b = replicaSet("ov-b", 1);
  for (const x of [a, b]) {
    x.spec!.selector = { matchLabels: { tier: "ov" } };
    x.spec!.template!.metadata!.labels = { tier: "ov", app: x.metadata.name! };
  }
  await client.create(REPLICASETS, a);
  await client.create(REPLICASETS, b);
  await waitPods("ov-a", 2, "ov-a has 2");
  await waitPods("ov-b", 1, "ov-b has 1");
  // Stable: each keeps exactly its own; the counts still hold after both have synced their status.
  await waitStatus("ov-a", (r) => r.status?.replicas === 2, "ov-a status 2");
  await waitStatus("ov-b", (r) => r.status?.replicas === 1, "ov-b status 1");
  const all = await podsOf(client, "default", "tier=ov");
  assert.equal(all.length, 3);
});
