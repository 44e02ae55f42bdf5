import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Event, KubeObject, Lease, Node, Pod } from "../api/index.js";
import { resourceFor } from "../api/index.js";
import { formatMicroTime, Informer, listerWatcherFor } from "../client/index.js";
import { LEASES, NODES, PODS, REPLICASETS } from "./context.js";
import { NODE_LEASE_NAMESPACE } from "./node-lifecycle.js";
import { TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE } from "./node-lifecycle-plan.js";
import { kubectlFor, markReady, replicaSet, type Stack, startStack, waitFor } from "./test-helpers.js";

const EVENTS = resourceFor("", "events")!;
let stack: Stack;
/** Nodes whose agents are "alive": their Leases are renewed. */
const alive = new Set<string>();
let renewer: NodeJS.Timeout | undefined;
/** Where the test's stand-in scheduler binds new pods. */
let bindTo = "n1";
let scheduler: Informer<Pod> | undefined;

before(async () => {
  stack = await startStack(["replicaset", "nodelifecycle"], {
    nodeLifecycle: {
      gracePeriodMs: 4000,
      monitorPeriodMs: 250,
      defaultTolerations: { unreachableSeconds: 1, notReadySeconds: 1 },
      rates: { rate: 100 },
    },
  });
});
after(async () => {
  if (renewer) clearInterval(renewer);
  await scheduler?.stop();
  await stack?.stop();
});

async function setReady(name: string, status: "True" | "False"): Promise<void> {
  const n = await stack.client.get<Node>(NODES, name);
  const ts = `${new Date().toISOString().slice(0, 19)}Z`;
  n.status = {
    ...n.status,
    conditions: [
      { type: "Ready", status, reason: "KubeletReady", lastHeartbeatTime: ts, lastTransitionTime: ts },
    ],
  };
  await stack.client.updateStatus(NODES, n);
}

async function renew(name: string): Promise<void> {
  const lease = await stack.client.get<Lease>(LEASES, name, { namespace: NODE_LEASE_NAMESPACE });
  lease.spec = { ...lease.spec, renewTime: formatMicroTime(Date.now()) };
  await stack.client.update(LEASES, lease);
}

/** Binds pending pods to `bindTo` and marks bound pods Running/Ready: the scheduler's and agents' parts. */
function startStandIns(): Informer<Pod> {
  const inf = new Informer<Pod>({
    name: "stand-ins",
    listerWatcher: listerWatcherFor<Pod>(stack.client, PODS),
  });
  const act = (pod: Pod) => {
    const node = pod.spec?.nodeName;
    if (pod.metadata.deletionTimestamp) {
      // A live node's agent stops the containers and removes the pod (its last word, grace 0).
      if (node && alive.has(node)) {
        const options = { gracePeriodSeconds: 0 };
        stack.client.delete(PODS, pod.metadata.name ?? "", { namespace: "default", options }).catch(() => {});
      }
      return;
    }
    if (!pod.spec?.nodeName) {
      const binding = {
        apiVersion: "v1",
        kind: "Binding",
        metadata: { name: pod.metadata.name },
        target: { kind: "Node", name: bindTo },
      };
      stack.client
        .create<KubeObject>(PODS, binding, {
          namespace: "default",
          subresource: "binding",
          name: pod.metadata.name,
        })
        .catch(() => {});
    } else if (pod.status?.phase !== "Running" && alive.has(pod.spec.nodeName)) {
      markReady(stack.client, pod).catch(() => {});
    }
  };
  inf.addEventHandler({ onAdd: act, onUpdate: (_, p) => act(p) });
  inf.start();
  return inf;
}

test("a node whose Lease stops is tainted, its pods evicted and replaced elsewhere; it recovers when back", async () => {
  const { client } = stack;
  for (const name of ["n1", "n2"]) {
    await client.create<Node>(NODES, { apiVersion: "v1", kind: "Node", metadata: { name } });
    await setReady(name, "True");
    await client.create<Lease>(LEASES, {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name, namespace: NODE_LEASE_NAMESPACE },
      spec: { holderIdentity: name, leaseDurationSeconds: 1, renewTime: formatMicroTime(Date.now()) },
    });
    alive.add(name);
  }
  const renewing = new Set<string>();
  renewer = setInterval(() => {
    for (const name of alive) {
      if (renewing.has(name)) continue;
      renewing.add(name);
      renew(name)
        .catch(() => {})
        .finally(() => renewing.delete(name));
    }
  }, 250);
  scheduler = startStandIns();

  await client.create(REPLICASETS, replicaSet("nl", 2));
  const running = (pods: Pod[], node: string) =>
    pods.filter(
      (p) => p.spec?.nodeName === node && !p.metadata.deletionTimestamp && p.status?.phase === "Running",
    );
  const listPods = async () =>
    (await client.list<Pod>(PODS, { namespace: "default", labelSelector: "app=nl" })).items;
  await waitFor(async () => running(await listPods(), "n1").length === 2, {
    timeoutMs: 15_000,
    what: "2 pods running on n1",
  });
  // A node that keeps renewing its Lease is left alone.
  assert.equal((await client.get<Node>(NODES, "n1")).spec?.taints, undefined);

  bindTo = "n2";
  alive.delete("n1");
  const dead = await waitFor(
    async () => {
      const n = await client.get<Node>(NODES, "n1");
      const ready = n.status?.conditions?.find((c) => c.type === "Ready");
      const tainted = n.spec?.taints?.some((t) => t.key === TAINT_UNREACHABLE && t.effect === "NoExecute");
      return ready?.status === "Unknown" && tainted ? n : undefined;
    },
    { timeoutMs: 15_000, what: "n1 Unknown and tainted unreachable:NoExecute" },
  );
  assert.ok(dead);
  assert.equal((await client.get<Node>(NODES, "n2")).spec?.taints, undefined, "the live node is not tainted");

  const pods = await waitFor(
    async () => {
      const all = await listPods();
      return running(all, "n2").length === 2 ? all : undefined;
    },
    { timeoutMs: 20_000, what: "2 replacement pods running on n2" },
  );
  const onDeadNode = pods.filter((p) => p.spec?.nodeName === "n1");
  assert.equal(onDeadNode.length, 2);
  assert.ok(
    onDeadNode.every((p) => p.metadata.deletionTimestamp),
    "evicted pods are terminating",
  );

  const events = (await client.list<Event>(EVENTS, { namespace: "default" })).items;
  assert.ok(
    events.some(
      (e) =>
        e.reason === "NodeNotReady" && e.involvedObject?.name === "n1" && e.involvedObject.kind === "Node",
    ),
  );
  assert.ok(events.some((e) => e.reason === "TaintManagerEviction"));

  // The node comes back: its agent renews and reports Ready; the taints go.
  alive.add("n1");
  await renew("n1");
  await setReady("n1", "True");
  await waitFor(async () => !(await client.get<Node>(NODES, "n1")).spec?.taints?.length, {
    timeoutMs: 15_000,
    what: "n1 untainted",
  });
  await waitFor(
    async () => {
      const list = (await client.list<Event>(EVENTS, { namespace: "default" })).items;
      return list.some((e) => e.reason === "NodeReady" && e.involvedObject?.kind === "Node");
    },
    { what: "NodeReady event" },
  );
});

test("the real kubectl: cordon taints the node; drain evicts its pods and they are replaced elsewhere", async () => {
  const { client } = stack;
  const tools = kubectlFor(stack.cluster.url);
  try {
    const cordon = await tools.kubectl("cordon", "n1");
    assert.equal(cordon.code, 0, cordon.stderr);
    await waitFor(
      async () =>
        (await client.get<Node>(NODES, "n1")).spec?.taints?.some((t) => t.key === TAINT_UNSCHEDULABLE),
      { what: "unschedulable taint" },
    );
    assert.equal((await tools.kubectl("uncordon", "n1")).code, 0);
    await waitFor(async () => !(await client.get<Node>(NODES, "n1")).spec?.taints?.length, {
      what: "taint removed",
    });

    // The two pods run on n2 (replacements from the first test); drain n2 towards n1.
    bindTo = "n1";
    const drain = await tools.kubectl("drain", "n2", "--ignore-daemonsets", "--timeout=60s");
    assert.equal(drain.code, 0, `${drain.stdout}\n${drain.stderr}`);
    assert.match(drain.stdout, /evicted/);
    assert.equal((await client.get<Node>(NODES, "n2")).spec?.unschedulable, true);
    await waitFor(
      async () => {
        const pods = (await client.list<Pod>(PODS, { namespace: "default", labelSelector: "app=nl" })).items;
        const live = pods.filter((p) => !p.metadata.deletionTimestamp);
        return (
          live.length === 2 && live.every((p) => p.spec?.nodeName === "n1" && p.status?.phase === "Running")
        );
      },
      { timeoutMs: 20_000, what: "replacements running on n1" },
    );
  } finally {
    tools.cleanup();
  }
});
