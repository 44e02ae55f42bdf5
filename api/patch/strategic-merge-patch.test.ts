import assert from "node:assert/strict";
import { test } from "node:test";
import type { SchemaCatalog, StructSchema } from "../schema.js";
import { PatchError, strategicMergePatch } from "./index.js";
import { DEPLOYMENT, NODE, TEST_CATALOG } from "./testdata-catalog.js";
import { directiveKeys } from "./testdata-kubectl.js";

/** A Deployment whose pod spec is `podSpec`. */
const withPod = (podSpec: object) => ({ spec: { template: { spec: podSpec } } });

interface Case {
  name: string;
  original: unknown;
  patch: unknown;
  want: unknown;
  root?: string;
}

// One row per rule of kubectl-compat.md §5.3; where a row mirrors a case of Kubernetes'
// strategicpatch tests, it says so.
const cases: Case[] = [
  // Maps.
  {
    name: "maps merge; members the patch does not name are kept",
    original: { metadata: { name: "web", labels: { app: "web", tier: "fe" } } },
    patch: { metadata: { labels: { tier: "be", env: "prod" } } },
    want: { metadata: { name: "web", labels: { app: "web", tier: "be", env: "prod" } } },
  },
  {
    name: "null deletes a member; null for a missing member stores nothing",
    original: { metadata: { labels: { app: "web", tier: "fe" } } },
    patch: { metadata: { labels: { tier: null, ghost: null } } },
    want: { metadata: { labels: { app: "web" } } },
  },
  {
    name: "a map-typed field merges its values (resources.limits)",
    original: withPod({ containers: [{ name: "c", resources: { limits: { cpu: "1", memory: "1Gi" } } }] }),
    patch: withPod({ containers: [{ name: "c", resources: { limits: { cpu: "2", memory: null } } }] }),
    want: withPod({ containers: [{ name: "c", resources: { limits: { cpu: "2" } } }] }),
  },
  {
    name: '"$patch": "replace" makes a map exactly the patch',
    original: { metadata: { name: "web", labels: { app: "web", tier: "fe" } } },
    patch: { metadata: { labels: { $patch: "replace", team: "x", gone: null } } },
    want: { metadata: { name: "web", labels: { team: "x" } } },
  },
  {
    name: '"$patch": "delete" removes a map',
    original: { spec: { replicas: 2, selector: { matchLabels: { app: "web" } } } },
    patch: { spec: { selector: { $patch: "delete" } } },
    want: { spec: { replicas: 2 } },
  },
  {
    name: '"$patch": "merge" is the default',
    original: { metadata: { labels: { a: "1" } } },
    patch: { metadata: { labels: { $patch: "merge", b: "2" } } },
    want: { metadata: { labels: { a: "1", b: "2" } } },
  },
  {
    name: '"$patch": "replace" at the top replaces the whole object',
    original: { metadata: { name: "web" }, spec: { replicas: 1 } },
    patch: { $patch: "replace", spec: { replicas: 2 } },
    want: { spec: { replicas: 2 } },
  },
  {
    name: "$retainKeys clears the members it does not list (a union type)",
    original: { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } },
    want: { spec: { strategy: { type: "Recreate" } } },
  },
  {
    name: "a retainKeys field without the directive merges as usual (Kubernetes test)",
    original: { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { rollingUpdate: { maxUnavailable: 0 } } } },
    want: {
      spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
    },
  },

  // Lists merged by key.
  {
    name: "a keyed list merges the element with the same key and keeps server-only fields",
    original: withPod({
      containers: [
        { name: "a", image: "x:1", imagePullPolicy: "IfNotPresent" },
        { name: "b", image: "y" },
      ],
    }),
    patch: withPod({ containers: [{ name: "a", image: "x:2" }] }),
    want: withPod({
      containers: [
        { name: "a", image: "x:2", imagePullPolicy: "IfNotPresent" },
        { name: "b", image: "y" },
      ],
    }),
  },
  {
    name: "a new element without $setElementOrder goes first, as in Kubernetes",
    original: withPod({ containers: [{ name: "a" }, { name: "b" }] }),
    patch: withPod({ containers: [{ name: "new", image: "n" }] }),
    want: withPod({ containers: [{ name: "new", image: "n" }, { name: "a" }, { name: "b" }] }),
  },
  {
    name: "a new element goes where $setElementOrder puts it",
    original: withPod({ containers: [{ name: "a" }, { name: "b" }] }),
    patch: withPod({
      "$setElementOrder/containers": [{ name: "a" }, { name: "b" }, { name: "new" }],
      containers: [{ name: "new", image: "n" }],
    }),
    want: withPod({ containers: [{ name: "a" }, { name: "b" }, { name: "new", image: "n" }] }),
  },
  {
    name: "patch order wins over server order for named elements (Kubernetes test)",
    original: withPod({ containers: [{ name: "1" }, { name: "2", image: "b" }, { name: "3" }] }),
    patch: withPod({
      containers: [
        { name: "3", image: "c" },
        { name: "1", image: "a" },
      ],
    }),
    want: withPod({
      containers: [
        { name: "2", image: "b" },
        { name: "3", image: "c" },
        { name: "1", image: "a" },
      ],
    }),
  },
  {
    name: "merge lists of maps with $setElementOrder (Kubernetes test)",
    original: withPod({
      containers: [
        { name: "1", imagePullPolicy: "a" },
        { name: "2", image: "2", imagePullPolicy: "b" },
      ],
    }),
    patch: withPod({
      "$setElementOrder/containers": [{ name: "4" }, { name: "1" }, { name: "2" }, { name: "3" }],
      containers: [
        { name: "4", image: "4" },
        { name: "3", image: "3" },
      ],
    }),
    want: withPod({
      containers: [
        { name: "4", image: "4" },
        { name: "1", imagePullPolicy: "a" },
        { name: "2", image: "2", imagePullPolicy: "b" },
        { name: "3", image: "3" },
      ],
    }),
  },
  {
    name: '{"$patch": "delete", key} removes the element',
    original: withPod({ containers: [{ name: "a" }, { name: "b" }, { name: "c" }] }),
    patch: withPod({ containers: [{ $patch: "delete", name: "b" }] }),
    want: withPod({ containers: [{ name: "a" }, { name: "c" }] }),
  },
  {
    name: "deleting an element the server does not have is a no-op",
    original: withPod({ containers: [{ name: "a" }] }),
    patch: withPod({ containers: [{ $patch: "delete", name: "zz" }] }),
    want: withPod({ containers: [{ name: "a" }] }),
  },
  {
    name: 'a {"$patch": "replace"} element makes the list the other elements',
    original: withPod({ containers: [{ name: "a", image: "1" }, { name: "b" }] }),
    patch: withPod({ containers: [{ name: "z", image: "9" }, { $patch: "replace" }] }),
    want: withPod({ containers: [{ name: "z", image: "9" }] }),
  },
  {
    name: 'a lone {"$patch": "replace"} element empties the list (Kubernetes test)',
    original: withPod({ containers: [{ name: "a" }, { name: "b" }] }),
    patch: withPod({ containers: [{ $patch: "replace" }] }),
    want: withPod({ containers: [] }),
  },
  {
    name: "a keyed list nested in a keyed list merges by its own key (ports by containerPort)",
    original: withPod({ containers: [{ name: "c", ports: [{ containerPort: 80, protocol: "TCP" }] }] }),
    patch: withPod({ containers: [{ name: "c", ports: [{ containerPort: 80, name: "http" }] }] }),
    want: withPod({
      containers: [{ name: "c", ports: [{ containerPort: 80, protocol: "TCP", name: "http" }] }],
    }),
  },
  {
    name: "conditions merge by type",
    original: {
      status: {
        conditions: [
          { type: "Available", status: "True" },
          { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" },
        ],
      },
    },
    patch: {
      status: { conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] },
    },
    want: {
      status: {
        conditions: [
          { type: "Available", status: "True" },
          { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" },
        ],
      },
    },
  },
  {
    name: "ownerReferences merge by uid",
    original: {
      metadata: { ownerReferences: [{ uid: "u1", kind: "ReplicaSet", name: "a", controller: true }] },
    },
    patch: {
      metadata: {
        ownerReferences: [
          { uid: "u1", blockOwnerDeletion: true },
          { uid: "u2", kind: "ReplicaSet", name: "b" },
        ],
      },
    },
    want: {
      metadata: {
        ownerReferences: [
          { uid: "u1", kind: "ReplicaSet", name: "a", controller: true, blockOwnerDeletion: true },
          { uid: "u2", kind: "ReplicaSet", name: "b" },
        ],
      },
    },
  },

  // Lists of primitives with strategy merge.
  {
    name: "a primitive merge list is an ordered set: union without duplicates",
    original: { metadata: { finalizers: ["a", "b"] } },
    patch: { metadata: { finalizers: ["b", "c", "c"] } },
    want: { metadata: { finalizers: ["a", "b", "c"] } },
  },
  {
    name: "a primitive merge list follows the patch order (Kubernetes test)",
    original: { metadata: { finalizers: ["1", "2", "3"] } },
    patch: { metadata: { finalizers: ["3", "1"] } },
    want: { metadata: { finalizers: ["2", "3", "1"] } },
  },
  {
    name: "$deleteFromPrimitiveList removes values, every copy of them",
    original: { metadata: { finalizers: ["a", "b", "c", "b"] } },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["b", "zz"] } },
    want: { metadata: { finalizers: ["a", "c"] } },
  },
  {
    name: "$deleteFromPrimitiveList for a missing list deletes nothing",
    original: { metadata: { name: "x" } },
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["b"] } },
    want: { metadata: { name: "x" } },
  },
  {
    name: "add and delete in one primitive list with $setElementOrder (Kubernetes test)",
    original: { spec: { podCIDRs: ["1", "2", "3"] } },
    patch: {
      spec: {
        "$setElementOrder/podCIDRs": ["1", "2", "4"],
        "$deleteFromPrimitiveList/podCIDRs": ["3"],
        podCIDRs: ["4"],
      },
    },
    want: { spec: { podCIDRs: ["1", "2", "4"] } },
    root: NODE,
  },

  // $setElementOrder on its own.
  {
    name: "$setElementOrder alone reorders; a server-only element keeps its slot before the next named one",
    original: withPod({ containers: [{ name: "c", env: [{ name: "A" }, { name: "X" }, { name: "B" }] }] }),
    patch: withPod({ containers: [{ name: "c", "$setElementOrder/env": [{ name: "B" }, { name: "A" }] }] }),
    want: withPod({ containers: [{ name: "c", env: [{ name: "X" }, { name: "B" }, { name: "A" }] }] }),
  },
  {
    name: "$setElementOrder naming an element that is not there (Kubernetes test)",
    original: { metadata: { finalizers: ["1", "3"] } },
    patch: { metadata: { "$setElementOrder/finalizers": ["3", "2", "1"] } },
    want: { metadata: { finalizers: ["3", "1"] } },
  },
  {
    name: "$setElementOrder for a list neither side has creates nothing",
    original: { metadata: { name: "x" } },
    patch: { metadata: { "$setElementOrder/finalizers": ["a"] } },
    want: { metadata: { name: "x" } },
  },

  // Everything else.
  {
    name: "lists without a merge strategy are replaced wholesale (command, tolerations)",
    original: withPod({
      containers: [{ name: "c", command: ["a", "b"] }],
      tolerations: [{ key: "k1" }, { key: "k2" }],
    }),
    patch: withPod({
      containers: [{ name: "c", command: ["z"] }],
      tolerations: [{ key: "k3", value: null }],
    }),
    want: withPod({ containers: [{ name: "c", command: ["z"] }], tolerations: [{ key: "k3" }] }),
  },
  {
    name: "null deletes a list, merge list or not",
    original: withPod({ containers: [{ name: "c", env: [{ name: "A" }], args: ["x"] }] }),
    patch: withPod({ containers: [{ name: "c", env: null, args: null }] }),
    want: withPod({ containers: [{ name: "c" }] }),
  },
  {
    name: "fields the schema does not know: objects merge, lists are replaced",
    original: withPod({ future: { a: 1, list: [1, 2] }, extra: [{ n: 1 }] }),
    patch: withPod({ future: { b: 2, list: [3] }, extra: [{ n: 2 }] }),
    want: withPod({ future: { a: 1, b: 2, list: [3] }, extra: [{ n: 2 }] }),
  },
  {
    name: "directives and nulls inside a value new to the object are resolved, never stored",
    original: withPod({ containers: [{ name: "a" }] }),
    patch: withPod({
      "$setElementOrder/containers": [{ name: "a" }, { name: "n" }],
      containers: [
        {
          name: "n",
          image: "n",
          args: null,
          "$setElementOrder/env": [{ name: "E" }],
          env: [
            { name: "E", value: null },
            { $patch: "delete", name: "F" },
          ],
          resources: { $patch: "replace", limits: { cpu: "1" } },
        },
      ],
    }),
    want: withPod({
      containers: [
        { name: "a" },
        { name: "n", image: "n", env: [{ name: "E" }], resources: { limits: { cpu: "1" } } },
      ],
    }),
  },
  {
    name: "a patch for a missing list creates it",
    original: withPod({}),
    patch: withPod({ volumes: [{ name: "v", emptyDir: {} }] }),
    want: withPod({ volumes: [{ name: "v", emptyDir: {} }] }),
  },
  {
    name: "an object replaces a scalar of the wrong type",
    original: { spec: { strategy: "odd" } },
    patch: { spec: { strategy: { type: "Recreate" } } },
    want: { spec: { strategy: { type: "Recreate" } } },
  },
];

for (const c of cases) {
  test(`strategicMergePatch: ${c.name}`, () => {
    const result = strategicMergePatch(c.original, c.patch, TEST_CATALOG, c.root ?? DEPLOYMENT);
    assert.deepEqual(result, c.want);
    assert.deepEqual(directiveKeys(result), []);
  });
}

test('strategicMergePatch: an object field tagged patchStrategy "replace" is replaced, not merged', () => {
  const catalog: SchemaCatalog = new Map<string, StructSchema>([
    ["Widget", { name: "Widget", fields: { raw: { type: "object", ref: "Raw", patchStrategy: "replace" } } }],
    ["Raw", { name: "Raw", fields: {} }],
  ]);
  const result = strategicMergePatch({ raw: { a: 1, b: 2 } }, { raw: { b: 3 } }, catalog, "Widget");
  assert.deepEqual(result, { raw: { b: 3 } });
});

// Malformed patches: a PatchError with a message that points at the problem, never a crash.
const malformed: { name: string; patch: unknown; message: RegExp; reason?: string }[] = [
  { name: "a patch that is not an object", patch: [{ op: "add" }], message: /must be a JSON object/ },
  { name: "a null patch", patch: null, message: /must be a JSON object/ },
  {
    name: "an unknown $patch on an object",
    patch: { spec: { $patch: "explode" } },
    message: /^spec: unknown \$patch directive "explode"/,
  },
  {
    name: "an unknown $patch on a list element",
    patch: withPod({ containers: [{ name: "a", $patch: "merge" }] }),
    message: /spec\.template\.spec\.containers: unknown \$patch directive "merge" in a list element/,
  },
  {
    name: "a keyed-list element without its merge key",
    patch: withPod({ containers: [{ image: "x" }] }),
    message: /does not contain the merge key "name"/,
  },
  {
    name: "a delete directive without the merge key",
    patch: withPod({ containers: [{ $patch: "delete" }] }),
    message: /does not contain the merge key "name"/,
  },
  {
    name: "a keyed-list element that is not an object",
    patch: withPod({ containers: ["a"] }),
    message: /holds objects, got "a"/,
  },
  {
    name: "objects in a primitive merge list",
    patch: { metadata: { finalizers: [{ a: 1 }] } },
    message: /holds only primitives/,
  },
  {
    name: "$retainKeys that is not a list",
    patch: { spec: { strategy: { $retainKeys: "type" } } },
    message: /\$retainKeys must be a list/,
  },
  {
    name: "a field set but not retained",
    patch: { spec: { strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: {} } } },
    message: /sets "rollingUpdate", which its \$retainKeys list does not keep/,
  },
  {
    name: "$setElementOrder that is not a list",
    patch: { metadata: { "$setElementOrder/finalizers": "a" } },
    message: /must be a list/,
  },
  {
    name: "$setElementOrder without a field",
    patch: { metadata: { $setElementOrder: ["a"] } },
    message: /expected "\$setElementOrder\/<field>"/,
  },
  {
    name: "$setElementOrder elements without the merge key",
    patch: withPod({ "$setElementOrder/containers": ["a"] }),
    message: /must name its "name"/,
  },
  {
    name: "a patch list out of the $setElementOrder order (Kubernetes test)",
    patch: withPod({
      "$setElementOrder/containers": [{ name: "1" }, { name: "2" }, { name: "3" }],
      containers: [{ name: "3" }, { name: "1" }],
    }),
    message: /out of the order \$setElementOrder\/containers gives/,
  },
  {
    name: "$setElementOrder with the list set to null",
    patch: withPod({ "$setElementOrder/containers": [{ name: "a" }], containers: null }),
    message: /needs a list here, got null/,
  },
  {
    name: "$deleteFromPrimitiveList that is not a list",
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": "a" } },
    message: /must be a list of values/,
  },
];

for (const c of malformed) {
  test(`strategicMergePatch rejects ${c.name}`, () => {
    const original = { metadata: { finalizers: ["a"] }, ...withPod({ containers: [{ name: "a" }] }) };
    assert.throws(
      () => strategicMergePatch(original, c.patch, TEST_CATALOG, DEPLOYMENT),
      (err) => err instanceof PatchError && err.reason === "BadRequest" && c.message.test(err.message),
    );
  });
}

test("strategicMergePatch never mutates its inputs nor shares structure with them", () => {
  const original = {
    metadata: { labels: { a: "1" }, finalizers: ["x"] },
    ...withPod({ containers: [{ name: "c", env: [{ name: "A", value: "1" }] }] }),
  };
  const patch = withPod({
    containers: [{ name: "c", env: [{ name: "B", value: "2" }] }],
    volumes: [{ name: "v" }],
  });
  const before = structuredClone({ original, patch });
  const result = strategicMergePatch(original, patch, TEST_CATALOG, DEPLOYMENT) as any;
  result.metadata.labels.a = "changed";
  result.metadata.finalizers.push("y");
  result.spec.template.spec.containers[0].env[0].value = "changed";
  result.spec.template.spec.volumes[0].name = "changed";
  assert.deepEqual({ original, patch }, before);
});

test("strategicMergePatch with a root the catalog lacks is a bug, not a bad patch", () => {
  assert.throws(
    () => strategicMergePatch({}, {}, TEST_CATALOG, "io.k8s.api.core.v1.Nope"),
    (err) => !(err instanceof PatchError) && /no struct io\.k8s\.api\.core\.v1\.Nope/.test(String(err)),
  );
});
