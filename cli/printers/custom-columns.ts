// kubectl get -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName (or -o custom-columns-file=
// with a header line and a line of paths): one column per path, values as Go prints them, several
// values joined by commas, <none> for nothing, aligned as kubectl's tables are.

import { readFileSync } from "node:fs";
import { goSprint, JsonPath, JsonPathTemplateError, relaxedJsonPath } from "../jsonpath/index.js";
import { formatColumns } from "./columns.js";
import { OutputError } from "./output-error.js";

export interface CustomColumn {
  header: string;
  path: JsonPath;
}

function column(header: string, expr: string): CustomColumn {
  try {
    return { header, path: JsonPath.parse(relaxedJsonPath(expr)) };
  } catch (err) {
    if (err instanceof JsonPathTemplateError) throw new OutputError(err.message);
    throw err;
  }
}

/** `NAME:.metadata.name,NODE:.spec.nodeName`. */
export function columnsFromSpec(spec: string): CustomColumn[] {
  if (spec === "") throw new OutputError("custom-columns format specified but no custom columns given");
  return spec.split(",").map((part) => {
    const colon = part.indexOf(":");
    if (colon < 0)
      throw new OutputError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return column(part.slice(0, colon), part.slice(colon + 1));
  });
}

/** A file of two whitespace-separated lines: the headers, then the paths. */
export function columnsFromFile(file: string): CustomColumn[] {
  const FORMAT =
    "Expected format is one line of space separated headers, one line of space separated column specs.";
  const text = readFileSync(file, "utf8");
  const lines = (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
  if (text === "") throw new OutputError(`invalid template, missing header line. ${FORMAT}`);
  if (lines.length < 2) throw new OutputError(`invalid template, missing spec line. ${FORMAT}`);
  const words = (line: string) => line.split(/\s+/).filter(Boolean);
  const [headers, specs] = [words(lines[0]!), words(lines[1]!)];
  if (headers.length !== specs.length)
    throw new OutputError(
      `number of headers (${headers.length}) and field specifications (${specs.length}) don't match`,
    );
  return headers.map((h, i) => column(h, specs[i]!));
}

/** One row per object. */
export function customColumnCells(columns: readonly CustomColumn[], object: unknown): string[] {
  return columns.map(({ path }) => {
    const groups = path.find(object, { allowMissingKeys: true });
    const none = groups.length === 0 || groups[0]!.length === 0 ? ["<none>"] : [];
    return [...none, ...groups.flat().map(goSprint)].join(",");
  });
}

export function formatCustomColumns(
  columns: readonly CustomColumn[],
  objects: readonly unknown[],
  noHeaders: boolean,
): string {
  const rows = objects.map((o) => customColumnCells(columns, o));
  return formatColumns(noHeaders ? rows : [columns.map((c) => c.header), ...rows]);
}
