import assert from "node:assert/strict";
import { test } from "node:test";
import type { Table } from "../../api/index.js";
import { findResource } from "../resources.js";
import { formatColumns } from "./columns.js";
import { formatObjects } from "./object.js";
import { tableCells } from "./table.js";

const TABLE: Table = {
  kind: "Table",
  apiVersion: "meta.k8s.io/v1",
  metadata: { resourceVersion: "7" },
  columnDefinitions: [
    { name: "Name", type: "string", format: "name", description: "", priority: 0 },
    { name: "Ready", type: "string", format: "", description: "", priority: 0 },
    { name: "Node", type: "string", format: "", description: "", priority: 1 },
  ],
  rows: [
    {
      cells: ["p1", "1/1", "node-1"],
      object: { metadata: { name: "p1", namespace: "team-a", labels: { b: "2", a: "1" } } },
    },
    {
      cells: ["a-longer-name", "0/1", null],
      object: { metadata: { name: "a-longer-name", namespace: "default" } },
    },
  ],
};

test("tables print like kubectl: padded columns, wide-only columns, -A, kind prefix, labels", () => {
  assert.equal(
    formatColumns(tableCells(TABLE, {})),
    "NAME            READY\np1              1/1\na-longer-name   0/1\n",
  );
  assert.equal(
    formatColumns(tableCells(TABLE, { wide: true, withNamespace: true })),
    "NAMESPACE   NAME            READY   NODE\nteam-a      p1              1/1     node-1\ndefault     a-longer-name   0/1     <none>\n",
  );
  assert.equal(
    formatColumns(tableCells(TABLE, { kindPrefix: "pod", showLabels: true })),
    "NAME                READY   LABELS\npod/p1              1/1     a=1,b=2\npod/a-longer-name   0/1     <none>\n",
  );
});

test("objects print with sorted keys; YAML quotes timestamps as Go does; several make a List", () => {
  const pod = findResource("pod")!;
  const obj = {
    metadata: { name: "p1", creationTimestamp: "2026-01-01T00:00:00Z" },
    spec: { b: 1, a: [{ q: 1, p: 2 }] },
  };
  assert.equal(
    formatObjects([{ resource: pod, object: obj }], "yaml", false),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: "2026-01-01T00:00:00Z"\n  name: p1\nspec:\n  a:\n  - p: 2\n    q: 1\n  b: 1\n',
  );
  const list = JSON.parse(formatObjects([{ resource: pod, object: obj }], "json", true));
  assert.equal(list.kind, "List");
  assert.equal(list.items[0].kind, "Pod");
  assert.equal(
    formatObjects([{ resource: findResource("deploy")!, object: obj }], "name", true),
    "deployment.apps/p1\n",
  );
});
