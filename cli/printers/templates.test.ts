import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { columnsFromFile, columnsFromSpec, formatCustomColumns } from "./custom-columns.js";
import { parseOutput } from "./output.js";
import { OutputError } from "./output-error.js";
import { SortError, sortBy } from "./sort-by.js";

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, labels: { app: name } },
  ...extra,
});

test("custom columns: Go's printing, commas between values, <none> for nothing, aligned", () => {
  const columns = columnsFromSpec(
    "NAME:.metadata.name,LABELS:metadata.labels,IMAGES:{.spec.c[*].image},X:.x",
  );
  const objects = [
    pod("a", { spec: { c: [{ image: "busybox" }, { image: "nginx" }] } }),
    pod("longer-name", { spec: { c: [] } }),
  ];
  assert.equal(
    formatCustomColumns(columns, objects, false),
    "NAME          LABELS                 IMAGES          X\n" +
      "a             map[app:a]             busybox,nginx   <none>\n" +
      "longer-name   map[app:longer-name]   <none>          <none>\n",
  );
  assert.equal(formatCustomColumns(columns, [], false), "NAME   LABELS   IMAGES   X\n");
  assert.throws(() => columnsFromSpec("NAME"), /expected <header>:<json-path-expr>/);
  assert.throws(() => columnsFromSpec(""), /no custom columns given/);
});

test("custom columns from a file: a line of headers, then a line of paths", () => {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-cc-"));
  try {
    const file = join(dir, "cols");
    writeFileSync(file, "NAME   APP\n.metadata.name   {.metadata.labels.app}\n");
    assert.equal(formatCustomColumns(columnsFromFile(file), [pod("a")], false), "NAME   APP\na      a\n");
    writeFileSync(file, "NAME APP\n.metadata.name\n");
    assert.throws(
      () => columnsFromFile(file),
      /number of headers \(2\) and field specifications \(1\) don't match/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--sort-by: numbers, quantities, timestamps, strings; missing first; a field nobody has is an error", () => {
  const names = (xs: { metadata: { name: string } }[]) => xs.map((x) => x.metadata.name).join(" ");
  const objs = [
    pod("p-9", { n: 10, cpu: "100m", t: "2026-01-02T00:00:00Z" }),
    pod("p-10", { n: 2, cpu: "1", t: "2026-01-01T00:00:00Z" }),
    pod("p-2", { n: 1, cpu: "1500m", t: "2025-12-31T23:59:59Z" }),
    pod("none"),
  ];
  const cases: [string, string][] = [
    [".n", "none p-2 p-10 p-9"],
    ["{.cpu}", "none p-9 p-10 p-2"],
    ["t", "none p-2 p-10 p-9"],
    // Byte order, as kubectl 1.32 sorts names.
    [".metadata.name", "none p-10 p-2 p-9"],
  ];
  for (const [field, want] of cases) assert.equal(names(sortBy(objs, field, (o) => o)), want, field);
  assert.throws(() => sortBy(objs, ".nope", (o) => o), SortError);
  assert.deepEqual(
    sortBy([], ".nope", (o) => o),
    [],
  );
});

test("-o values: the plain formats, templates, and kubectl's words for the rest", () => {
  assert.equal(parseOutput(undefined), "table");
  assert.equal(parseOutput("wide"), "wide");
  assert.ok(typeof parseOutput("jsonpath={.a}") === "object");
  assert.ok(typeof parseOutput("custom-columns=A:.a") === "object");
  assert.throws(() => parseOutput("jsonpath"), {
    message: "template format specified but no template given",
  });
  assert.throws(() => parseOutput("jsonpath={.a"), OutputError);
  assert.throws(() => parseOutput("foo"), /unable to match a printer suitable for the output format "foo"/);
});
