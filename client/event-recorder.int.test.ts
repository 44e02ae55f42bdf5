import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { startTestApiServer, type TestCluster } from "../testing/apiserver.js";
import { EventRecorder } from "./event-recorder.js";
import { RestClient } from "./rest.js";

let c: TestCluster;
let client: RestClient;
const PODS = { group: "", version: "v1", plural: "pods", namespaced: true } as const;
const EVENTS = { group: "", version: "v1", plural: "events", namespaced: true } as const;

before(async () => {
  c = await startTestApiServer();
  client = new RestClient({ server: c.url });
});
after(async () => {
  await c?.stop();
});

test("repeated events aggregate into one Event with a count; kubectl describe's query finds them", async () => {
  const pod = await client.create<KubeObject>(PODS, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "ev-pod", namespace: "default" },
    spec: { containers: [{ name: "c", image: "busybox" }] },
  });
  const rec = new EventRecorder(client, { component: "test-component", host: "node-1" });
  for (let i = 0; i < 3; i++) rec.event(pod, "Warning", "BackOff", "Back-off restarting failed container");
  rec.event(pod, "Normal", "Pulled", "Image pulled");
  await rec.flush();

  const list = await client.list<KubeObject>(EVENTS, {
    namespace: "default",
    fieldSelector: `involvedObject.name=ev-pod,involvedObject.namespace=default,involvedObject.uid=${pod.metadata.uid}`,
  });
  const byReason = new Map(list.items.map((e) => [e.reason as string, e]));
  assert.equal(list.items.length, 2);
  const backoff = byReason.get("BackOff")!;
  assert.equal(backoff.count, 3);
  assert.equal(backoff.type, "Warning");
  assert.deepEqual(backoff.source, { component: "test-component", host: "node-1" });
  assert.equal((backoff.involvedObject as { kind: string }).kind, "Pod");
  assert.equal(byReason.get("Pulled")!.count, 1);
});

test("events about cluster-scoped objects go to the default namespace", async () => {
  const node = await client.create<KubeObject>(
    { group: "", version: "v1", plural: "nodes", namespaced: false },
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "ev-node" },
    },
  );
  const rec = new EventRecorder(client, { component: "node-lifecycle" });
  rec.event(node, "Normal", "NodeNotReady", "Node ev-node status is now: NodeNotReady");
  await rec.flush();
  const list = await client.list<KubeObject>(EVENTS, {
    namespace: "default",
    fieldSelector: "involvedObject.name=ev-node",
  });
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0]!.reason, "NodeNotReady");
});

test("a burst of events is written a few at a time, and all of them arrive", async () => {
  let inFlight = 0;
  let peak = 0;
  const counting = new RestClient({
    server: c.url,
    fetch: async (input, init) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    },
  });
  const burst = new EventRecorder(counting, { component: "burst" }, { maxInFlight: 4 });
  const pod = await client.get<KubeObject>(PODS, "ev-pod", { namespace: "default" });
  for (let i = 0; i < 40; i++) burst.event(pod, "Normal", "Burst", `event number ${i}`);
  await burst.flush();
  assert.ok(peak <= 4, `peak ${peak} writes at once`);
  const list = await client.list<KubeObject>(EVENTS, { namespace: "default", fieldSelector: "reason=Burst" });
  assert.equal(list.items.length, 40);
  assert.equal(burst.dropped, 0);
});
