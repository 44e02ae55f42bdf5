// `k8ts get`: tables formatted by the server (kubectl's Accept header), or the objects as YAML,
// JSON, names, JSONPath or custom columns; several types at once; -l/--field-selector; -A;
// --sort-by; -w streams changes (get-watch.ts).

import type { Table, TableRow } from "../../api/index.js";
import { isNotFound } from "../../client/index.js";
import { reportError } from "../errors.js";
import type { Kube } from "../kube.js";
import { formatColumns } from "../printers/columns.js";
import { formatObjects, type ObjectFormat, type Printed, typed } from "../printers/object.js";
import { formatWithTemplate, isTemplate, type Output, type TemplateOutput } from "../printers/output.js";
import { sortBy } from "../printers/sort-by.js";
import { type TableOptions, tableCells } from "../printers/table.js";
import { type ResourceSelection, typeLabel } from "../resources.js";
import { listPath, listTable, scopeNamespace } from "./get-list.js";
import { watchObjects } from "./get-watch.js";

export type GetOutput = Output;

export interface GetOptions {
  selections: ResourceSelection[];
  allNamespaces: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  output: GetOutput;
  /** -w (or --watch-only): keep printing changes. */
  watch: boolean;
  /** --watch-only: changes only, not what is there now. */
  watchOnly: boolean;
  /** --output-watch-events: say ADDED, MODIFIED or DELETED with each change. */
  outputWatchEvents: boolean;
  showLabels: boolean;
  /** --no-headers: rows only (and no blank line between types, as kubectl). */
  noHeaders: boolean;
  /** --ignore-not-found: a missing named object is not an error, and nothing found says nothing. */
  ignoreNotFound: boolean;
  /** --sort-by: a JSONPath into each object ("metadata.name", "{.spec.replicas}"). */
  sortBy?: string;
  /** --allow-missing-template-keys (default true): a missing field in -o jsonpath prints nothing. */
  allowMissingKeys: boolean;
}

function noResources(kube: Kube, all: boolean): string {
  return all ? "No resources found\n" : `No resources found in ${kube.namespace} namespace.\n`;
}

async function printTables(kube: Kube, opts: GetOptions): Promise<number> {
  let code = 0;
  let printed = 0;
  const several = opts.selections.length > 1;
  const blocks: string[] = [];
  for (const sel of opts.selections) {
    const topts: TableOptions = {
      wide: opts.output === "wide",
      withNamespace: opts.allNamespaces && sel.resource.namespaced,
      kindPrefix: several ? typeLabel(sel.resource) : undefined,
      showLabels: opts.showLabels,
    };
    let table: Table | undefined;
    // --sort-by reads the objects, so the rows must carry them (kubectl asks the same).
    const includeObject = opts.sortBy ? "Object" : undefined;
    if (sel.names.length === 0) {
      table = await listTable(kube, sel.resource, { ...opts, includeObject });
    } else {
      for (const name of sel.names) {
        try {
          const path = listPath(kube, sel.resource, false, name);
          const one = await kube.tables.request<Table>("GET", path, { query: { includeObject } });
          table = table ? { ...table, rows: [...table.rows, ...one.rows] } : one;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          if (!opts.ignoreNotFound) code = reportError(err);
        }
      }
    }
    if (!table || table.rows.length === 0) continue;
    if (opts.sortBy && table.rows.length > 1)
      table = { ...table, rows: sortBy<TableRow>(table.rows, opts.sortBy, (r) => r.object) };
    printed += table.rows.length;
    const cells = tableCells(table, topts);
    blocks.push(formatColumns(opts.noHeaders ? cells.slice(1) : cells));
  }
  process.stdout.write(blocks.join(opts.noHeaders ? "" : "\n"));
  if (printed === 0 && code === 0 && !opts.ignoreNotFound)
    process.stderr.write(noResources(kube, opts.allNamespaces));
  return code;
}

async function printObjects(
  kube: Kube,
  opts: GetOptions,
  format: ObjectFormat | TemplateOutput,
): Promise<number> {
  let code = 0;
  const items: Printed[] = [];
  let single = opts.selections.length === 1 && opts.selections[0]!.names.length === 1;
  for (const { resource, names } of opts.selections) {
    if (names.length === 0) {
      single = false;
      const list = await kube.client.listAll(resource, {
        namespace: scopeNamespace(kube, resource, opts.allNamespaces),
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
      });
      for (const object of list.items) items.push({ resource, object });
      continue;
    }
    for (const name of names) {
      try {
        items.push({
          resource,
          object: await kube.client.get(resource, name, { namespace: kube.namespace }),
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        if (!opts.ignoreNotFound) code = reportError(err);
      }
    }
  }
  if (items.length === 0 && single) return code;
  if (items.length === 0 && format === "name") {
    if (code === 0 && !opts.ignoreNotFound) process.stderr.write(noResources(kube, opts.allNamespaces));
    return code;
  }
  const sorted = opts.sortBy && !single ? sortBy(items, opts.sortBy, typed) : items;
  const text = isTemplate(format)
    ? formatWithTemplate(format, sorted, !single, opts)
    : formatObjects(sorted, format, !single);
  process.stdout.write(text);
  return code;
}

export async function get(kube: Kube, opts: GetOptions, signal: AbortSignal): Promise<number> {
  if (opts.watch) return watchObjects(kube, opts, signal);
  if (opts.output === "table" || opts.output === "wide") return printTables(kube, opts);
  return printObjects(kube, opts, opts.output);
}
