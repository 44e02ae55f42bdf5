import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { Indexer, NAMESPACE_INDEX, namespaceIndex, objectKey, splitKey } from "./cache.js";

const pod = (ns: string, name: string, node: string, labels: Record<string, string> = {}): KubeObject => ({
  metadata: { namespace: ns, name, labels },
  spec: { nodeName: node },
});
const nodeOf = (p: KubeObject) => [String((p.spec as { nodeName: string }).nodeName)];
const names = (xs: KubeObject[]) => xs.map((x) => x.metadata.name).sort();

test("keys are namespace/name, or name for cluster-scoped objects, and split back", () => {
  assert.equal(objectKey(pod("a", "p", "")), "a/p");
  assert.equal(objectKey({ metadata: { name: "node-1" } }), "node-1");
  assert.deepEqual(splitKey("a/p"), { namespace: "a", name: "p" });
  assert.deepEqual(splitKey("node-1"), { name: "node-1" });
  assert.throws(() => objectKey({ metadata: {} }), /no metadata.name/);
});

test("indexes follow updates and deletes", () => {
  const s = new Indexer<KubeObject>({ node: nodeOf, [NAMESPACE_INDEX]: namespaceIndex });
  s.upsert(pod("a", "p1", "n1"));
  s.upsert(pod("a", "p2", "n1"));
  s.upsert(pod("b", "p3", "n2"));
  assert.deepEqual(names(s.byIndex("node", "n1")), ["p1", "p2"]);
  s.upsert(pod("a", "p1", "n2")); // moved
  assert.deepEqual(names(s.byIndex("node", "n1")), ["p2"]);
  assert.deepEqual(names(s.byIndex("node", "n2")), ["p1", "p3"]);
  assert.equal(s.delete("a/p2")?.metadata.name, "p2");
  assert.deepEqual(s.byIndex("node", "n1"), []);
  assert.deepEqual(names(s.byIndex(NAMESPACE_INDEX, "a")), ["p1"]);
  assert.equal(s.size, 2);
  assert.equal(s.delete("a/none"), undefined);
  assert.throws(() => s.byIndex("nope", "x"), /index "nope" does not exist/);
});

test("an object can sit under several values, and indexes added later cover cached objects", () => {
  const s = new Indexer<KubeObject>();
  s.upsert(pod("a", "p1", "n1", { app: "web", tier: "front" }));
  s.upsert(pod("a", "p2", "n1", { app: "db" }));
  s.addIndexers({ label: (o) => Object.entries(o.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`) });
  assert.deepEqual(names(s.byIndex("label", "app=web")), ["p1"]);
  assert.deepEqual(names(s.byIndex("label", "tier=front")), ["p1"]);
  assert.throws(() => s.addIndexers({ label: () => [] }), /already exists/);
});
