// Kubernetes' default periods (40 s grace, 300 s toleration, 0.1 taints/s) on a fake clock: the
// controller times heartbeats and evictions by its injected clock, so minutes pass in milliseconds
// while the API server and etcd are real.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Lease, Node, Pod } from "../api/index.js";
import { FakeClock, formatMicroTime } from "../client/index.js";
import { LEASES, NODES, PODS } from "./context.js";
import { NODE_LEASE_NAMESPACE } from "./node-lifecycle.js";
import { container, type Stack, startStack, waitFor } from "./test-helpers.js";

const clock = new FakeClock(Math.floor(Date.now() / 1000) * 1000);
/** Fake time of each node's latest finished reconcile, and how many reconciles finished. */
const reconciledAt = new Map<string, number>();
const countOf = new Map<string, number>();
let reconciles = 0;
let stack: Stack;
before(async () => {
  const observer = {
    reconciled: (e: { key: string }) => {
      reconciledAt.set(e.key, clock.now());
      countOf.set(e.key, (countOf.get(e.key) ?? 0) + 1);
      reconciles++;
    },
  };
  stack = await startStack(["nodelifecycle"], { clock, observer });
});

/** Until `key` has been reconciled at fake time `t` or later. */
const reconciledSince = (key: string, t: number) =>
  waitFor(() => (reconciledAt.get(key) ?? -1) >= t, { what: `${key} reconciled at fake time ${t}` });

/** Until the controller is idle: empty queue and no reconcile finishing between two looks. */
async function settled(): Promise<void> {
  let seen = -1;
  await waitFor(
    () => {
      const idle = stack.controllers.controllers.every((c) => c.queue.len() === 0) && reconciles === seen;
      seen = reconciles;
      return idle;
    },
    { intervalMs: 100, what: "controller idle" },
  );
}
after(async () => {
  await stack?.stop();
});

async function nodeWithLease(name: string): Promise<void> {
  const { client } = stack;
  const n = await client.create<Node>(NODES, { apiVersion: "v1", kind: "Node", metadata: { name } });
  n.status = { conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }] };
  await client.updateStatus(NODES, n);
  await client.create<Lease>(LEASES, {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name, namespace: NODE_LEASE_NAMESPACE },
    spec: { holderIdentity: name, renewTime: formatMicroTime(Date.now()) },
  });
}

const ready = async (name: string) =>
  (await stack.client.get<Node>(NODES, name)).status?.conditions?.find((c) => c.type === "Ready")?.status;

test("default grace period and toleration, on a fake clock", async () => {
  const { client } = stack;
  await nodeWithLease("a");
  await nodeWithLease("b");
  await client.create<Pod>(PODS, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "on-a", namespace: "default" },
    spec: { nodeName: "a", containers: [container()] },
  });
  const t0 = clock.now();
  await reconciledSince("a", t0);
  await reconciledSince("b", t0);
  await settled();

  clock.advance(39_000);
  await reconciledSince("a", t0 + 39_000);
  assert.equal(await ready("a"), "True", "39 s of silence is within the 40 s grace period");

  // b keeps its heartbeat; a stays silent past the grace period.
  const lease = await client.get<Lease>(LEASES, "b", { namespace: NODE_LEASE_NAMESPACE });
  lease.spec = { ...lease.spec, renewTime: formatMicroTime(Date.now() + 1) };
  await settled();
  const before = countOf.get("b") ?? 0;
  await client.update(LEASES, lease);
  // Time stands still, so only the Lease event can reconcile b now.
  await waitFor(() => (countOf.get("b") ?? 0) > before, { what: "b's renewal observed" });
  clock.advance(2_000);
  await waitFor(async () => (await ready("a")) === "Unknown", { what: "a Unknown after 41 s" });
  assert.equal(await ready("b"), "True");
  await waitFor(
    async () => (await client.get<Node>(NODES, "a")).spec?.taints?.some((t) => t.effect === "NoExecute"),
    { what: "a tainted NoExecute" },
  );

  clock.advance(299_000);
  await reconciledSince("a", t0 + 340_000);
  assert.equal(
    (await client.get<Pod>(PODS, "on-a", { namespace: "default" })).metadata.deletionTimestamp,
    undefined,
  );
  clock.advance(2_000);
  await waitFor(
    async () => (await client.get<Pod>(PODS, "on-a", { namespace: "default" })).metadata.deletionTimestamp,
    { what: "pod evicted after the default 300 s toleration" },
  );
});

test("NoExecute tainting is rate-limited: 0.1 nodes a second by default", async () => {
  const { client } = stack;
  for (const name of ["a", "b"]) await client.delete(NODES, name);
  for (const name of ["c1", "c2", "c3"]) await nodeWithLease(name);
  const renewC3 = async () => {
    await settled();
    const before = countOf.get("c3") ?? 0;
    const lease = await client.get<Lease>(LEASES, "c3", { namespace: NODE_LEASE_NAMESPACE });
    lease.spec = { ...lease.spec, renewTime: formatMicroTime(clock.now()) };
    await client.update(LEASES, lease);
    await waitFor(() => (countOf.get("c3") ?? 0) > before, { what: "c3's renewal observed" });
  };
  await settled();
  clock.advance(30_000);
  await renewC3();
  clock.advance(11_000);
  const noExecute = async (name: string) =>
    Boolean((await client.get<Node>(NODES, name)).spec?.taints?.some((t) => t.effect === "NoExecute"));
  await waitFor(async () => (await ready("c1")) === "Unknown" && (await ready("c2")) === "Unknown", {
    what: "c1 and c2 Unknown",
  });
  await waitFor(async () => (await noExecute("c1")) || (await noExecute("c2")), { what: "one node tainted" });
  await settled();
  assert.equal(
    (await noExecute("c1")) && (await noExecute("c2")),
    false,
    "the second waits for the next token",
  );
  assert.equal(await ready("c3"), "True");

  await renewC3();
  clock.advance(10_000);
  await waitFor(async () => (await noExecute("c1")) && (await noExecute("c2")), {
    what: "the second node tainted 10 s later",
  });
  assert.equal(await noExecute("c3"), false);
});
