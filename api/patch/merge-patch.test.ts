import assert from "node:assert/strict";
import { test } from "node:test";
import { mergePatch, PatchError } from "./index.js";

// RFC 7386 §3 and appendix A, plus the shapes kubectl sends.
const cases: { name: string; original: unknown; patch: unknown; want: unknown }[] = [
  { name: "replaces a member", original: { a: "b" }, patch: { a: "c" }, want: { a: "c" } },
  { name: "adds a member", original: { a: "b" }, patch: { b: "c" }, want: { a: "b", b: "c" } },
  { name: "null removes a member", original: { a: "b", b: "c" }, patch: { a: null }, want: { b: "c" } },
  { name: "null for a missing member is a no-op", original: { a: 1 }, patch: { x: null }, want: { a: 1 } },
  {
    name: "objects merge recursively",
    original: { a: { b: "c", d: "e" } },
    patch: { a: { d: null, f: "g" } },
    want: { a: { b: "c", f: "g" } },
  },
  { name: "arrays replace wholesale", original: { a: [1, 2, 3] }, patch: { a: [4] }, want: { a: [4] } },
  {
    name: "an object replaces a scalar",
    original: { a: "x" },
    patch: { a: { b: 1 } },
    want: { a: { b: 1 } },
  },
  { name: "a scalar replaces an object", original: { a: { b: 1 } }, patch: { a: 2 }, want: { a: 2 } },
  {
    name: "nulls inside a new object are dropped",
    original: {},
    patch: { a: { bb: { ccc: null } } },
    want: { a: { bb: {} } },
  },
  {
    name: "a non-object original is replaced by an object",
    original: ["x"],
    patch: { a: 1 },
    want: { a: 1 },
  },
  {
    name: "kubectl scale on the Scale subresource",
    original: { kind: "Scale", spec: { replicas: 1 }, status: { replicas: 1, selector: "app=web" } },
    patch: { spec: { replicas: 3 } },
    want: { kind: "Scale", spec: { replicas: 3 }, status: { replicas: 1, selector: "app=web" } },
  },
  {
    name: "kubectl label sets one label and removes another",
    original: { metadata: { name: "p1", labels: { app: "web", tier: "fe" } } },
    patch: { metadata: { labels: { env: "prod", tier: null } } },
    want: { metadata: { name: "p1", labels: { app: "web", env: "prod" } } },
  },
];

for (const c of cases) {
  test(`mergePatch: ${c.name}`, () => {
    assert.deepEqual(mergePatch(c.original, c.patch), c.want);
  });
}

test("mergePatch never mutates its inputs nor shares structure with them", () => {
  const original = { metadata: { name: "a", labels: { x: "1" } }, spec: { list: [1] } };
  const patch = { spec: { list: [2], extra: { deep: true } } };
  const before = structuredClone({ original, patch });
  const result = mergePatch(original, patch) as any;
  result.metadata.labels.x = "changed";
  result.spec.extra.deep = false;
  result.spec.list.push(3);
  assert.deepEqual({ original, patch }, before);
});

test("mergePatch keeps a __proto__ member as data, never as a prototype", () => {
  const patch = JSON.parse('{"metadata":{"__proto__":{"polluted":true}}}');
  const result = mergePatch({ metadata: {} }, patch) as any;
  assert.deepEqual(Object.keys(result.metadata), ["__proto__"]);
  assert.equal(result.metadata.polluted, undefined);
  assert.equal(({} as any).polluted, undefined);
});

for (const patch of [[{ op: "add" }], "x", 3, null]) {
  test(`mergePatch rejects a patch that is not an object: ${JSON.stringify(patch)}`, () => {
    assert.throws(
      () => mergePatch({ a: 1 }, patch),
      (err) =>
        err instanceof PatchError && err.reason === "BadRequest" && /must be a JSON object/.test(err.message),
    );
  });
}
