import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonPatch, PatchError } from "./index.js";

// RFC 6902 §4 and appendix A, one row per rule.
const applies: { name: string; doc: unknown; ops: unknown[]; want: unknown }[] = [
  { name: "add a member", doc: { a: 1 }, ops: [{ op: "add", path: "/b", value: 2 }], want: { a: 1, b: 2 } },
  {
    name: "add replaces an existing member",
    doc: { a: 1 },
    ops: [{ op: "add", path: "/a", value: 3 }],
    want: { a: 3 },
  },
  {
    name: "add inserts into an array",
    doc: { l: ["a", "c"] },
    ops: [{ op: "add", path: "/l/1", value: "b" }],
    want: { l: ["a", "b", "c"] },
  },
  {
    name: "add at index == length appends",
    doc: { l: ["a"] },
    ops: [{ op: "add", path: "/l/1", value: "b" }],
    want: { l: ["a", "b"] },
  },
  {
    name: '"-" appends',
    doc: { l: [1, 2] },
    ops: [{ op: "add", path: "/l/-", value: 3 }],
    want: { l: [1, 2, 3] },
  },
  { name: "add null is a value", doc: {}, ops: [{ op: "add", path: "/a", value: null }], want: { a: null } },
  {
    name: "add at the root replaces the document",
    doc: { a: 1 },
    ops: [{ op: "add", path: "", value: [1] }],
    want: [1],
  },
  { name: "remove a member", doc: { a: 1, b: 2 }, ops: [{ op: "remove", path: "/a" }], want: { b: 2 } },
  {
    name: "remove an element",
    doc: { l: [1, 2, 3] },
    ops: [{ op: "remove", path: "/l/1" }],
    want: { l: [1, 3] },
  },
  {
    name: "replace a member",
    doc: { a: { b: 1 } },
    ops: [{ op: "replace", path: "/a/b", value: 9 }],
    want: { a: { b: 9 } },
  },
  {
    name: "replace an element",
    doc: { l: [1, 2] },
    ops: [{ op: "replace", path: "/l/0", value: 0 }],
    want: { l: [0, 2] },
  },
  {
    name: "move a member",
    doc: { a: { x: 1 }, b: {} },
    ops: [{ op: "move", from: "/a/x", path: "/b/y" }],
    want: { a: {}, b: { y: 1 } },
  },
  {
    name: "move an element",
    doc: { l: [1, 2, 3, 4] },
    ops: [{ op: "move", from: "/l/1", path: "/l/3" }],
    want: { l: [1, 3, 4, 2] },
  },
  {
    name: "move onto itself is a no-op",
    doc: { a: 1 },
    ops: [{ op: "move", from: "/a", path: "/a" }],
    want: { a: 1 },
  },
  {
    name: "copy is deep",
    doc: { a: { x: [1] } },
    ops: [
      { op: "copy", from: "/a", path: "/b" },
      { op: "add", path: "/b/x/-", value: 2 },
    ],
    want: { a: { x: [1] }, b: { x: [1, 2] } },
  },
  {
    name: "test passes on an equal value (member order does not matter)",
    doc: { a: { x: 1, y: [1, "2"] } },
    ops: [{ op: "test", path: "/a", value: { y: [1, "2"], x: 1 } }],
    want: { a: { x: 1, y: [1, "2"] } },
  },
  {
    name: "~1 and ~0 escape / and ~ in a token",
    doc: { "a/b": 1, "m~n": 2 },
    ops: [
      { op: "replace", path: "/a~1b", value: 10 },
      { op: "replace", path: "/m~0n", value: 20 },
    ],
    want: { "a/b": 10, "m~n": 20 },
  },
  {
    name: "an annotation key with a slash",
    doc: { metadata: { annotations: {} } },
    ops: [{ op: "add", path: "/metadata/annotations/kubernetes.io~1change-cause", value: "undo" }],
    want: { metadata: { annotations: { "kubernetes.io/change-cause": "undo" } } },
  },
  {
    name: "operations apply in order",
    doc: {},
    ops: [
      { op: "add", path: "/a", value: [] },
      { op: "add", path: "/a/-", value: "x" },
      { op: "test", path: "/a/0", value: "x" },
    ],
    want: { a: ["x"] },
  },
];

for (const c of applies) {
  test(`jsonPatch: ${c.name}`, () => {
    assert.deepEqual(jsonPatch(c.doc, c.ops), c.want);
  });
}

// Well-formed operations that do not apply to this document: HTTP 422 in Kubernetes.
const fails: { name: string; doc: unknown; ops: unknown[]; message: RegExp }[] = [
  {
    name: "replace of a missing member",
    doc: { a: 1 },
    ops: [{ op: "replace", path: "/b", value: 1 }],
    message: /\/b does not exist/,
  },
  {
    name: "remove of a missing member",
    doc: { a: 1 },
    ops: [{ op: "remove", path: "/b" }],
    message: /\/b does not exist/,
  },
  {
    name: "remove past the end",
    doc: { l: [1] },
    ops: [{ op: "remove", path: "/l/1" }],
    message: /\/l\/1 does not exist/,
  },
  {
    name: "add under a missing parent",
    doc: {},
    ops: [{ op: "add", path: "/a/b", value: 1 }],
    message: /\/a does not exist/,
  },
  {
    name: "add past the end of an array",
    doc: { l: [] },
    ops: [{ op: "add", path: "/l/2", value: 1 }],
    message: /out of range/,
  },
  {
    name: "an index with a leading zero",
    doc: { l: [1, 2] },
    ops: [{ op: "replace", path: "/l/01", value: 1 }],
    message: /does not exist/,
  },
  {
    name: "a failing test",
    doc: { a: 1 },
    ops: [{ op: "test", path: "/a", value: "1" }],
    message: /test failed/,
  },
  {
    name: "test of a missing path",
    doc: {},
    ops: [{ op: "test", path: "/a", value: null }],
    message: /does not exist/,
  },
  {
    name: "move from a missing path",
    doc: {},
    ops: [{ op: "move", from: "/a", path: "/b" }],
    message: /\/a does not exist/,
  },
  {
    name: "move into its own child",
    doc: { a: { b: {} } },
    ops: [{ op: "move", from: "/a", path: "/a/b/c" }],
    message: /own children/,
  },
  {
    name: "remove the whole document",
    doc: { a: 1 },
    ops: [{ op: "remove", path: "" }],
    message: /whole document/,
  },
];

for (const c of fails) {
  test(`jsonPatch fails (Invalid): ${c.name}`, () => {
    assert.throws(
      () => jsonPatch(c.doc, c.ops),
      (err) => err instanceof PatchError && err.reason === "Invalid" && c.message.test(err.message),
    );
  });
}

// Documents that are not a JSON patch at all: HTTP 400.
const malformed: { name: string; ops: unknown; message: RegExp }[] = [
  { name: "not an array", ops: { op: "add" }, message: /must be an array/ },
  { name: "an operation that is not an object", ops: ["add"], message: /operation 0: must be an object/ },
  { name: "an unknown op", ops: [{ op: "merge", path: "/a" }], message: /unknown op "merge"/ },
  { name: "a missing path", ops: [{ op: "remove" }], message: /"path" must be a string/ },
  { name: "add without a value", ops: [{ op: "add", path: "/a" }], message: /needs a "value"/ },
  { name: "move without from", ops: [{ op: "move", path: "/a" }], message: /"from" must be a string/ },
  {
    name: "a pointer without a leading slash",
    ops: [{ op: "remove", path: "a" }],
    message: /must be empty or start with/,
  },
  { name: "a bad ~ escape", ops: [{ op: "remove", path: "/a~2" }], message: /followed by 0 or 1/ },
];

for (const c of malformed) {
  test(`jsonPatch rejects a malformed patch (BadRequest): ${c.name}`, () => {
    assert.throws(
      () => jsonPatch({ a: 1 }, c.ops),
      (err) => err instanceof PatchError && err.reason === "BadRequest" && c.message.test(err.message),
    );
  });
}

test("jsonPatch is atomic: a failing test after a change leaves the original untouched", () => {
  const original = { metadata: { labels: { app: "web" } }, spec: { replicas: 1 } };
  const before = structuredClone(original);
  assert.throws(
    () =>
      jsonPatch(original, [
        { op: "replace", path: "/spec/replicas", value: 5 },
        { op: "remove", path: "/metadata/labels/app" },
        { op: "test", path: "/spec/replicas", value: 4 },
      ]),
    (err) => err instanceof PatchError && /operation 2 \(test \/spec\/replicas\)/.test(err.message),
  );
  assert.deepEqual(original, before);
});

test("jsonPatch does not share values with the patch document", () => {
  const value = { a: [1] };
  const result = jsonPatch({}, [{ op: "add", path: "/v", value }]) as any;
  result.v.a.push(2);
  assert.deepEqual(value, { a: [1] });
});

test("kubectl rollout undo: replace the pod template and the annotations (§11.4)", () => {
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "web",
      namespace: "default",
      annotations: { "deployment.kubernetes.io/revision": "2" },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1.26" }] },
      },
    },
  };
  const undo = [
    {
      op: "replace",
      path: "/spec/template",
      value: {
        metadata: { creationTimestamp: null, labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1.25" }] },
      },
    },
    {
      op: "replace",
      path: "/metadata/annotations",
      value: { "deployment.kubernetes.io/revision": "2", "kubernetes.io/change-cause": "first" },
    },
  ];
  const result = jsonPatch(deployment, undo) as any;
  assert.equal(result.spec.template.spec.containers[0].image, "nginx:1.25");
  assert.equal(result.spec.template.metadata.creationTimestamp, null);
  assert.deepEqual(result.metadata.annotations, {
    "deployment.kubernetes.io/revision": "2",
    "kubernetes.io/change-cause": "first",
  });
  assert.equal(result.spec.replicas, 2);
  assert.equal(deployment.spec.template.spec.containers[0]!.image, "nginx:1.26");
});

test("kubectl rollout undo fails cleanly when the deployment has no annotations", () => {
  assert.throws(
    () =>
      jsonPatch({ metadata: { name: "web" } }, [{ op: "replace", path: "/metadata/annotations", value: {} }]),
    (err) => err instanceof PatchError && err.reason === "Invalid",
  );
});
