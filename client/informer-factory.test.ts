import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { waitFor } from "../testing/index.js";
import { FakeApiServer } from "./fake-api-server.js";
import { InformerFactory } from "./informer-factory.js";
import { RestClient } from "./rest.js";

const PODS = { group: "", version: "v1", plural: "pods", namespaced: true };

test("controllers asking for the same resource and scope share one informer and one watch", async () => {
  const fake = await new FakeApiServer().start();
  const factory = new InformerFactory(new RestClient({ server: fake.url }));
  try {
    fake.upsert({ metadata: { namespace: "a", name: "p1" }, spec: { nodeName: "n1" } });
    const first = factory.informerFor<KubeObject>(
      PODS,
      {},
      { node: (p) => [String((p.spec as { nodeName: string }).nodeName)] },
    );
    const second = factory.informerFor<KubeObject>(PODS, {}, { ns: (p) => [p.metadata.namespace ?? ""] });
    const scoped = factory.informerFor<KubeObject>(PODS, { namespace: "a" });
    assert.equal(first, second);
    assert.notEqual(first, scoped);
    factory.start();
    assert.equal(await factory.waitForSync(), true);
    assert.deepEqual(
      first.store.byIndex("node", "n1").map((p) => p.metadata.name),
      ["p1"],
    );
    assert.deepEqual(
      first.store.byIndex("ns", "a").map((p) => p.metadata.name),
      ["p1"],
    );
    await waitFor(() => fake.openWatches() === 2, { what: "two watches (one per scope)" });
    const late = factory.informerFor<KubeObject>(PODS, { labelSelector: "app=x" });
    await waitFor(() => late.hasSynced(), { what: "an informer made after start starts at once" });
    // One state per informer, each streamed by its first watch (no LIST).
    assert.equal(fake.watchRequests().filter((r) => r.query.get("sendInitialEvents") === "true").length, 3);
    assert.equal(fake.listRequests().length, 0);
  } finally {
    await factory.stop();
    await fake.stop();
  }
});
