// `k8ts get`: tables formatted by the server (kubectl's Accept header), or the objects as YAML,
// JSON or names; several types at once; -l/--field-selector; -A; -w streams changes (get-watch.ts).

import type { Table } from "../../api/index.js";
import { isNotFound } from "../../client/index.js";
import { reportError } from "../errors.js";
import type { Kube } from "../kube.js";
import { formatColumns } from "../printers/columns.js";
import { formatObjects, type ObjectFormat, type Printed } from "../printers/object.js";
import { type TableOptions, tableCells } from "../printers/table.js";
import { type ResourceSelection, typeLabel } from "../resources.js";
import { listPath, listTable, scopeNamespace } from "./get-list.js";
import { watchObjects } from "./get-watch.js";

export type GetOutput = "table" | "wide" | ObjectFormat;

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
    if (sel.names.length === 0) {
      table = await listTable(kube, sel.resource, opts);
    } else {
      for (const name of sel.names) {
        try {
          const one = await kube.tables.request<Table>("GET", listPath(kube, sel.resource, false, name));
          table = table ? { ...table, rows: [...table.rows, ...one.rows] } : one;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          if (!opts.ignoreNotFound) code = reportError(err);
        }
      }
    }
    if (!table || table.rows.length === 0) continue;
    printed += table.rows.length;
    const cells = tableCells(table, topts);
    blocks.push(formatColumns(opts.noHeaders ? cells.slice(1) : cells));
  }
  process.stdout.write(blocks.join(opts.noHeaders ? "" : "\n"));
  if (printed === 0 && code === 0 && !opts.ignoreNotFound)
    process.stderr.write(noResources(kube, opts.allNamespaces));
  return code;
}

async function printObjects(kube: Kube, opts: GetOptions, format: ObjectFormat): Promise<number> {
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
  process.stdout.write(formatObjects(items, format, !single));
  return code;
}

export async function get(kube: Kube, opts: GetOptions, signal: AbortSignal): Promise<number> {
  if (opts.watch) return watchObjects(kube, opts, signal);
  if (opts.output === "table" || opts.output === "wide") return printTables(kube, opts);
  return printObjects(kube, opts, opts.output);
}
