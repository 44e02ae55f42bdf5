import assert from "node:assert/strict";
import { test } from "node:test";
import { wantsTable } from "./index.js";

test("a Table is wanted when Accept asks for as=Table in meta.k8s.io v1 or v1beta1", () => {
  const cases: [string | undefined, boolean][] = [
    [
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
      true,
    ],
    ["application/json;as=Table;v=v1beta1;g=meta.k8s.io", true],
    ["application/json; g=meta.k8s.io; v=v1; as=Table", true],
    ["application/json, */*", false],
    ["application/vnd.kubernetes.protobuf,application/json", false],
    ["application/json;as=Table;v=v2;g=meta.k8s.io", false],
    ["application/json;as=Table;v=v1;g=example.com", false],
    ["application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io", false],
    ["", false],
    [undefined, false],
  ];
  for (const [accept, want] of cases) assert.equal(wantsTable(accept), want, String(accept));
});
