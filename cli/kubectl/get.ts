// `k8ts get`: tables formatted by the server (kubectl's Accept header), or the objects as YAML,
// JSON or names; several types at once; -l/--field-selector; -A; -w streams rows as they change.

import type { ResourceType, Table, TableRow } from "../../api/index.js";
import { isNotFound, resourcePath } from "../../client/index.js";
import { reportError } from "../errors.js";
import type { Kube } from "../kube.js";
import { columnWidths, formatColumns, formatRow } from "../printers/columns.js";
import { formatObjects, type ObjectFormat, type Printed } from "../printers/object.js";
import { headerCells, rowCells, type TableOptions, tableCells } from "../printers/table.js";
import { type ResourceSelection, typeLabel } from "../resources.js";

export type GetOutput = "table" | "wide" | ObjectFormat;

export interface GetOptions {
  selections: ResourceSelection[];
  allNamespaces: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  output: GetOutput;
  watch: boolean;
  showLabels: boolean;
}

interface Query {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  includeObject?: string;
}

/** Where a list goes: one namespace, or every namespace (-A) for namespaced types. */
function listPath(kube: Kube, r: ResourceType, all: boolean, name?: string): string {
  return resourcePath(r, { namespace: all && name === undefined ? undefined : kube.namespace, name });
}

/** Events read best oldest first: kubectl users sort them by time, so `get events` does. */
function eventTime(row: TableRow): string {
  const o = row.object as Record<string, string | undefined> & { metadata?: { creationTimestamp?: string } };
  return o?.lastTimestamp ?? o?.eventTime ?? o?.firstTimestamp ?? o?.metadata?.creationTimestamp ?? "";
}

async function listTable(kube: Kube, r: ResourceType, opts: GetOptions): Promise<Table> {
  const isEvents = r.kind === "Event" && r.group === "";
  const base: Query = {
    labelSelector: opts.labelSelector,
    fieldSelector: opts.fieldSelector,
    limit: 500,
    includeObject: isEvents ? "Object" : undefined,
  };
  const path = listPath(kube, r, opts.allNamespaces);
  const first = await kube.tables.request<Table>("GET", path, { query: { ...base } });
  const rows = [...first.rows];
  let next = first.metadata?.continue;
  while (next) {
    const page = await kube.tables.request<Table>("GET", path, { query: { ...base, continue: next } });
    rows.push(...page.rows);
    next = page.metadata?.continue;
  }
  if (isEvents) rows.sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
  return { ...first, rows };
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
          code = reportError(err);
        }
      }
    }
    if (!table || table.rows.length === 0) continue;
    printed += table.rows.length;
    blocks.push(formatColumns(tableCells(table, topts)));
  }
  process.stdout.write(blocks.join("\n"));
  if (printed === 0 && code === 0) process.stderr.write(noResources(kube, opts.allNamespaces));
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
        namespace: opts.allNamespaces ? undefined : kube.namespace,
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
        code = reportError(err);
      }
    }
  }
  if (items.length === 0 && single) return code;
  if (items.length === 0 && format === "name") {
    if (code === 0) process.stderr.write(noResources(kube, opts.allNamespaces));
    return code;
  }
  process.stdout.write(formatObjects(items, format, !single));
  return code;
}

/** -w: the first table, then one row per change, aligned to the first table's columns. */
async function watchTable(kube: Kube, opts: GetOptions, signal: AbortSignal): Promise<number> {
  const sel = opts.selections[0]!;
  const name = sel.names[0];
  const fieldSelector = name
    ? [`metadata.name=${name}`, opts.fieldSelector].filter(Boolean).join(",")
    : opts.fieldSelector;
  const watchOpts = { ...opts, fieldSelector, selections: [{ resource: sel.resource, names: [] }] };
  const table = await listTable(kube, sel.resource, watchOpts);
  if (name && table.rows.length === 0) {
    // kubectl answers NotFound for a named object that is not there.
    await kube.tables.request("GET", listPath(kube, sel.resource, false, name));
  }
  const topts: TableOptions = {
    wide: opts.output === "wide",
    withNamespace: opts.allNamespaces && sel.resource.namespaced,
    showLabels: opts.showLabels,
  };
  let defs = table.columnDefinitions ?? [];
  let widths: number[] | undefined;
  const print = (rows: string[][]) => {
    widths ??= columnWidths([headerCells(defs, topts), ...rows]);
    for (const cells of rows) process.stdout.write(`${formatRow(cells, widths)}\n`);
  };
  if (table.rows.length > 0) print(tableCells(table, topts));
  const events = kube.tables.watch(sel.resource, {
    namespace: opts.allNamespaces ? undefined : kube.namespace,
    labelSelector: opts.labelSelector,
    fieldSelector,
    resourceVersion: table.metadata?.resourceVersion,
    signal,
  });
  for await (const ev of events) {
    if (ev.type === "ERROR") {
      process.stderr.write(`${ev.object.reason ?? "Error"}: ${ev.object.message ?? ""}\n`);
      return 0;
    }
    if (ev.type === "BOOKMARK") continue;
    const t = ev.object as unknown as Table;
    if (t.columnDefinitions?.length) defs = t.columnDefinitions;
    const rows = (t.rows ?? []).map((r) => rowCells(r, defs, topts));
    if (widths === undefined) print([headerCells(defs, topts), ...rows]);
    else print(rows);
  }
  return 0;
}

export async function get(kube: Kube, opts: GetOptions, signal: AbortSignal): Promise<number> {
  if (opts.watch) return watchTable(kube, opts, signal);
  if (opts.output === "table" || opts.output === "wide") return printTables(kube, opts);
  return printObjects(kube, opts, opts.output);
}
