import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.js";
import { RESOURCES, type ResourceType } from "../../api/resources.js";
import { toTable } from "./index.js";

const NOW = new Date("2026-01-02T03:04:05Z");
const CREATED = "2026-01-02T02:59:05Z"; // 5m before NOW

function resource(plural: string): ResourceType {
  const r = RESOURCES.find((x) => x.plural === plural);
  assert.ok(r, plural);
  return r;
}

function obj(kind: string, name: string, fields: object = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind,
    metadata: {
      name,
      namespace: "default",
      uid: `uid-${name}`,
      resourceVersion: "42",
      creationTimestamp: CREATED,
      labels: { app: name },
    },
    ...fields,
  };
}

// [resource, object, header names, cells]
const SMALL_KINDS: [string, KubeObject, string[], unknown[]][] = [
  [
    "configmaps",
    obj("ConfigMap", "cm1", { data: { a: "1", b: "2" }, binaryData: { c: "AA==" } }),
    ["Name", "Data", "Age"],
    ["cm1", 3, "5m"],
  ],
  ["configmaps", obj("ConfigMap", "empty"), ["Name", "Data", "Age"], ["empty", 0, "5m"]],
  [
    "secrets",
    obj("Secret", "s1", { type: "kubernetes.io/tls", data: { "tls.crt": "", "tls.key": "" } }),
    ["Name", "Type", "Data", "Age"],
    ["s1", "kubernetes.io/tls", 2, "5m"],
  ],
  [
    "secrets",
    obj("Secret", "s2", { type: "Opaque" }),
    ["Name", "Type", "Data", "Age"],
    ["s2", "Opaque", 0, "5m"],
  ],
  [
    "namespaces",
    obj("Namespace", "team-a", { status: { phase: "Active" } }),
    ["Name", "Status", "Age"],
    ["team-a", "Active", "5m"],
  ],
  [
    "namespaces",
    obj("Namespace", "old", { status: { phase: "Terminating" } }),
    ["Name", "Status", "Age"],
    ["old", "Terminating", "5m"],
  ],
  [
    "leases",
    obj("Lease", "node-1", { spec: { holderIdentity: "node-1", leaseDurationSeconds: 40 } }),
    ["Name", "Holder", "Age"],
    ["node-1", "node-1", "5m"],
  ],
  ["leases", obj("Lease", "free", { spec: {} }), ["Name", "Holder", "Age"], ["free", "", "5m"]],
];

test("configmap, secret, namespace and lease rows", () => {
  for (const [plural, o, headers, cells] of SMALL_KINDS) {
    const t = toTable(resource(plural), [o], { now: NOW });
    assert.deepEqual(
      t.columnDefinitions?.map((c) => c.name),
      headers,
      plural,
    );
    assert.deepEqual(t.rows[0]?.cells, cells, `${plural}/${o.metadata.name}`);
  }
});

test("a resource without a printer gets NAME AGE", () => {
  const other: ResourceType = {
    ...resource("configmaps"),
    group: "example.com",
    plural: "widgets",
    kind: "Widget",
  };
  const t = toTable(other, [obj("Widget", "w1")], { now: NOW });
  assert.deepEqual(
    t.columnDefinitions?.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ["Name", "string", "name", 0],
      ["Age", "string", "", 0],
    ],
  );
  assert.deepEqual(t.rows[0]?.cells, ["w1", "5m"]);
});

test("row.object is PartialObjectMetadata by default, the object with Object, absent with None", () => {
  const cm = obj("ConfigMap", "cm1", { data: { a: "1" } });
  const byDefault = toTable(resource("configmaps"), [cm], { now: NOW });
  assert.deepEqual(byDefault.rows[0]?.object, {
    kind: "PartialObjectMetadata",
    apiVersion: "meta.k8s.io/v1",
    metadata: cm.metadata,
  });
  assert.deepEqual(
    toTable(resource("configmaps"), [cm], { now: NOW, includeObject: "Metadata" }).rows[0]?.object,
    byDefault.rows[0]?.object,
  );
  assert.deepEqual(
    toTable(resource("configmaps"), [cm], { now: NOW, includeObject: "Object" }).rows[0]?.object,
    cm,
  );
  const none = toTable(resource("configmaps"), [cm], { now: NOW, includeObject: "None" });
  assert.ok(!("object" in (none.rows[0] ?? {})));
});

test("table envelope: kind, list metadata, one row per object in order, headers left out on request", () => {
  const pods = [
    obj("Pod", "a", { status: { phase: "Pending" } }),
    obj("Pod", "b", { status: { phase: "Succeeded" } }),
  ];
  const t = toTable(resource("pods"), pods, {
    now: NOW,
    listMeta: { resourceVersion: "198", continue: "tok" },
  });
  assert.equal(t.kind, "Table");
  assert.equal(t.apiVersion, "meta.k8s.io/v1");
  assert.deepEqual(t.metadata, { resourceVersion: "198", continue: "tok" });
  assert.deepEqual(
    t.rows.map((r) => r.cells.slice(0, 3)),
    [
      ["a", "0/0", "Pending"],
      ["b", "0/0", "Succeeded"],
    ],
  );
  assert.equal(t.rows[0]?.conditions, undefined);
  assert.equal(t.rows[1]?.conditions?.[0]?.type, "Completed");
  assert.equal(t.columnDefinitions?.length, 9);

  const event = toTable(resource("pods"), [pods[0] as KubeObject], { now: NOW, noHeaders: true });
  assert.ok(!("columnDefinitions" in event));
  // A single object's table (GET of one pod, a watch event) carries that object's resourceVersion.
  assert.deepEqual(event.metadata, { resourceVersion: "42" });
  assert.deepEqual(toTable(resource("pods"), [], { now: NOW }), {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: {},
    columnDefinitions: t.columnDefinitions,
    rows: [],
  });
});

test("every served resource prints as many cells as it has columns", () => {
  for (const r of RESOURCES) {
    const t = toTable(r, [obj(r.kind, "x")], { now: NOW });
    assert.equal(t.rows[0]?.cells.length, t.columnDefinitions?.length, r.plural);
  }
});
