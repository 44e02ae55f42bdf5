// What -o asks `k8ts get` for: the server's table (default, wide), whole objects (yaml, json,
// name), or a template over them (jsonpath=, jsonpath-file=, jsonpath-as-json=, custom-columns=,
// custom-columns-file=), with kubectl's words for a format it does not know.

import { readFileSync } from "node:fs";
import { JsonPath, JsonPathTemplateError } from "../jsonpath/index.js";
import {
  type CustomColumn,
  columnsFromFile,
  columnsFromSpec,
  formatCustomColumns,
} from "./custom-columns.js";
import { listDocument, type ObjectFormat, type Printed, typed } from "./object.js";
import { OutputError } from "./output-error.js";

export interface JsonPathOutput {
  jsonpath: JsonPath;
  /** jsonpath-as-json: each result as an indented JSON array. */
  asJson: boolean;
}

export interface CustomColumnsOutput {
  columns: CustomColumn[];
}

export type TemplateOutput = JsonPathOutput | CustomColumnsOutput;
export type Output = "table" | "wide" | ObjectFormat | TemplateOutput;

const PLAIN = ["wide", "yaml", "json", "name"] as const;
const TEMPLATES = ["jsonpath", "jsonpath-file", "jsonpath-as-json", "custom-columns", "custom-columns-file"];

function jsonPath(template: string): JsonPath {
  if (template === "") throw new OutputError("template format specified but no template given");
  try {
    return JsonPath.parse(template);
  } catch (err) {
    if (err instanceof JsonPathTemplateError) throw new OutputError(err.message);
    throw err;
  }
}

function readTemplate(file: string): string {
  if (file === "") throw new OutputError("template format specified but no template given");
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new OutputError(`error reading --template ${file}, ${(err as Error).message}`);
  }
}

export function parseOutput(value: string | undefined): Output {
  if (value === undefined) return "table";
  if ((PLAIN as readonly string[]).includes(value)) return value as Output;
  const eq = value.indexOf("=");
  const [format, arg] = eq < 0 ? [value, ""] : [value.slice(0, eq), value.slice(eq + 1)];
  switch (format) {
    case "jsonpath":
      return { jsonpath: jsonPath(arg), asJson: false };
    case "jsonpath-as-json":
      return { jsonpath: jsonPath(arg), asJson: true };
    case "jsonpath-file":
      return { jsonpath: jsonPath(readTemplate(arg)), asJson: false };
    case "custom-columns":
      return { columns: columnsFromSpec(arg) };
    case "custom-columns-file":
      if (arg === "")
        throw new OutputError("custom-columns-file format specified but no custom columns file given");
      return { columns: columnsFromFile(arg) };
  }
  throw new OutputError(
    `unable to match a printer suitable for the output format "${value}", allowed formats are: ${[...PLAIN, ...TEMPLATES].sort().join(",")}`,
  );
}

export const isTemplate = (o: Output): o is TemplateOutput => typeof o === "object";

/**
 * Objects through a template: -o jsonpath runs once over the object (a single named object) or
 * over a List of them, as kubectl does; custom columns print a row per object under one header.
 * Throws JsonPathTemplateError when a template fails on the data.
 */
export function formatWithTemplate(
  output: TemplateOutput,
  items: readonly Printed[],
  asList: boolean,
  opts: { allowMissingKeys: boolean; noHeaders: boolean },
): string {
  if ("columns" in output) return formatCustomColumns(output.columns, items.map(typed), opts.noHeaders);
  const doc = asList ? listDocument(items) : typed(items[0]!);
  return output.jsonpath.execute(doc, { allowMissingKeys: opts.allowMissingKeys, asJson: output.asJson });
}
