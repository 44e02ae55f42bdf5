import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Deployment, KubeObject, Pod, ReplicaSet } from "../api/index.js";
import { resourceFor } from "../api/index.js";
import { isNotFound } from "../client/index.js";
import { DEPLOYMENTS, PODS, REPLICASETS } from "./context.js";
import { container, podsOf, replicaSet, type Stack, startStack, waitFor } from "./test-helpers.js";

const CONFIGMAPS = resourceFor("", "configmaps")!;
let stack: Stack;
before(async () => {
  stack = await startStack(["replicaset", "deployment", "garbagecollector"]);
});
after(async () => {
  await stack?.stop();
});

const gone = async (r: typeof PODS, name: string) => {
  try {
    await stack.client.get(r, name, { namespace: "default" });
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
};

test("background: deleting a Deployment removes its ReplicaSets and their pods", async () => {
  const { client } = stack;
  await client.create<Deployment>(DEPLOYMENTS, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "bg", namespace: "default" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "bg" } },
      template: { metadata: { labels: { app: "bg" } }, spec: { containers: [container()] } },
    },
  });
  await waitFor(async () => (await podsOf(client, "default", "app=bg")).length === 2, { what: "2 pods" });
  await client.delete(DEPLOYMENTS, "bg", {
    namespace: "default",
    options: { propagationPolicy: "Background" },
  });
  await waitFor(
    async () => {
      const rss = await client.list(REPLICASETS, { namespace: "default", labelSelector: "app=bg" });
      const pods = await client.list(PODS, { namespace: "default", labelSelector: "app=bg" });
      return rss.items.length === 0 && pods.items.length === 0;
    },
    { timeoutMs: 15_000, what: "ReplicaSets and pods collected" },
  );
});

test("foreground: the owner stays until its blocking dependents are gone", async () => {
  const { client } = stack;
  const rs = await client.create(REPLICASETS, replicaSet("fg", 1));
  // A running pod (bound to a node) the ReplicaSet adopts: its deletion is graceful, so it lingers.
  await client.create<Pod>(PODS, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "fg-running", namespace: "default", labels: { app: "fg" } },
    spec: { nodeName: "n1", containers: [container()] },
  });
  await waitFor(
    async () => {
      const p = await client.get<Pod>(PODS, "fg-running", { namespace: "default" });
      return p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid && r.blockOwnerDeletion);
    },
    { what: "pod adopted" },
  );
  await client.delete(REPLICASETS, "fg", {
    namespace: "default",
    options: { propagationPolicy: "Foreground" },
  });
  const terminating = await waitFor(
    async () => {
      const p = await client.get<Pod>(PODS, "fg-running", { namespace: "default" });
      return p.metadata.deletionTimestamp ? p : undefined;
    },
    { what: "dependent pod terminating" },
  );
  assert.ok(terminating);
  const waiting = await client.get<ReplicaSet>(REPLICASETS, "fg", { namespace: "default" });
  assert.ok(waiting.metadata.deletionTimestamp, "owner is marked for deletion");
  assert.ok(waiting.metadata.finalizers?.includes("foregroundDeletion"), "owner waits on its dependents");
  // The node agent's last word: the pod is gone; then the owner goes.
  await client.delete(PODS, "fg-running", { namespace: "default", options: { gracePeriodSeconds: 0 } });
  await waitFor(() => gone(REPLICASETS, "fg"), {
    timeoutMs: 15_000,
    what: "owner removed after its dependents",
  });
});

test("orphan: the owner goes, its dependents stay without the owner reference", async () => {
  const { client } = stack;
  await client.create(REPLICASETS, replicaSet("orph", 2));
  await waitFor(async () => (await podsOf(client, "default", "app=orph")).length === 2, { what: "2 pods" });
  await client.delete(REPLICASETS, "orph", {
    namespace: "default",
    options: { propagationPolicy: "Orphan" },
  });
  await waitFor(() => gone(REPLICASETS, "orph"), { timeoutMs: 15_000, what: "owner removed" });
  const pods = await podsOf(client, "default", "app=orph");
  assert.equal(pods.length, 2);
  for (const p of pods) assert.equal(p.metadata.ownerReferences, undefined);
});

test("an object whose owner never existed is collected; one with a live owner is not", async () => {
  const { client } = stack;
  const owner = await client.create<KubeObject>(CONFIGMAPS, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "owner", namespace: "default" },
  });
  const ref = (name: string, uid: string) => ({ apiVersion: "v1", kind: "ConfigMap", name, uid });
  await client.create<KubeObject>(CONFIGMAPS, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "kept", namespace: "default", ownerReferences: [ref("owner", owner.metadata.uid!)] },
  });
  await client.create<KubeObject>(CONFIGMAPS, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "dangling", namespace: "default", ownerReferences: [ref("ghost", "no-such-uid")] },
  });
  await client.create<KubeObject>(CONFIGMAPS, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "half",
      namespace: "default",
      ownerReferences: [ref("owner", owner.metadata.uid!), ref("ghost", "no-such-uid")],
    },
  });
  await waitFor(() => gone(CONFIGMAPS, "dangling"), { timeoutMs: 15_000, what: "dangling object collected" });
  const half = await waitFor(
    async () => {
      const cm = await client.get(CONFIGMAPS, "half", { namespace: "default" });
      return cm.metadata.ownerReferences?.length === 1 ? cm : undefined;
    },
    { what: "dangling reference removed" },
  );
  assert.equal(half.metadata.ownerReferences?.[0]?.uid, owner.metadata.uid);
  assert.equal(await gone(CONFIGMAPS, "kept"), false);
});
