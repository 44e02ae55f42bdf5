// `k8ts get -w`: kubectl's watch. First what is there now (unless --watch-only), then one line (or
// object) per change, watched from the list's resourceVersion so nothing falls between the two.
// Tables are the server's, each change aligned to the first table of its type; -o name|yaml|json
// print each object on its own (YAML documents separated by "---"); --output-watch-events adds
// the event type. Unlike kubectl (which refuses it), several types watch at once: `get pods,deploy
// -w` prints the tables `get pods,deploy` prints, then each change under its own type's columns
// with the "pod/" prefix. The watch ends with Ctrl-C, when the server ends every stream, or on an
// ERROR event (non-zero exit with the server's Status message).

import type { KubeObject, ResourceType, Status, Table, TableRow, WatchEventType } from "../../api/index.js";
import { ApiError } from "../../client/index.js";
import type { Kube } from "../kube.js";
import { columnWidths, formatColumns, formatRow } from "../printers/columns.js";
import { formatObjects, formatWatchEvent, type ObjectFormat, type Printed } from "../printers/object.js";
import { formatWithTemplate, isTemplate, type TemplateOutput } from "../printers/output.js";
import { headerCells, rowCells, rowMetadata, type TableOptions } from "../printers/table.js";
import { type ResourceSelection, typeLabel } from "../resources.js";
import type { GetOptions } from "./get.js";
import { listTable, scopeNamespace } from "./get-list.js";

/** One type's watch: the server-side field selector, and the names to keep when there are several. */
interface Stream {
  resource: ResourceType;
  fieldSelector?: string;
  names?: Set<string>;
}

function streamOf(sel: ResourceSelection, fieldSelector: string | undefined): Stream {
  if (sel.names.length === 1) {
    const byName = [`metadata.name=${sel.names[0]}`, fieldSelector].filter(Boolean).join(",");
    return { resource: sel.resource, fieldSelector: byName };
  }
  const names = sel.names.length > 1 ? new Set(sel.names) : undefined;
  return { resource: sel.resource, fieldSelector, names };
}

const wanted = (s: Stream, name: string | undefined) => !s.names || s.names.has(name ?? "");

/** Named objects must exist: kubectl's watch of a missing name answers NotFound. */
async function requireNamed(kube: Kube, selections: ResourceSelection[]): Promise<void> {
  for (const { resource, names } of selections) {
    const namespace = resource.namespaced ? kube.namespace : undefined;
    for (const name of names) await kube.client.get(resource, name, { namespace });
  }
}

/**
 * One watch per stream, each from its list's version, until all end, the caller aborts, or one
 * fails (which stops the others and is the error).
 */
async function watchAll<T extends KubeObject>(
  kube: Kube,
  from: { stream: Stream; version: string | undefined }[],
  opts: GetOptions,
  client: "client" | "tables",
  onEvent: (s: Stream, type: WatchEventType, object: T) => void,
  signal: AbortSignal,
): Promise<void> {
  const failed = new AbortController();
  const all = AbortSignal.any([signal, failed.signal]);
  await Promise.all(
    from.map(async ({ stream: s, version }) => {
      try {
        const events = kube[client].watch<T>(s.resource, {
          namespace: scopeNamespace(kube, s.resource, opts.allNamespaces),
          labelSelector: opts.labelSelector,
          fieldSelector: s.fieldSelector,
          resourceVersion: version,
          signal: all,
        });
        for await (const ev of events) {
          if (ev.type === "ERROR") throw new ApiError(ev.object as unknown as Status);
          if (ev.type !== "BOOKMARK") onEvent(s, ev.type, ev.object);
        }
      } catch (err) {
        failed.abort();
        throw err;
      }
    }),
  );
}

/** A type's columns, and the widths its first block fixed for every later line. */
interface TypeColumns {
  defs: NonNullable<Table["columnDefinitions"]>;
  topts: TableOptions;
  widths?: number[];
}

async function watchTables(kube: Kube, opts: GetOptions, signal: AbortSignal): Promise<number> {
  const several = opts.selections.length > 1;
  const withEvents = (first: string, cells: string[]) => (opts.outputWatchEvents ? [first, ...cells] : cells);
  const header = (c: TypeColumns) =>
    opts.noHeaders ? [] : [withEvents("EVENT", headerCells(c.defs, c.topts))];
  // kubectl pads the event type to eight ("ADDED   "), so the column is as wide as MODIFIED.
  const line = (c: TypeColumns, type: WatchEventType, row: TableRow) =>
    withEvents(type.padEnd(8), rowCells(row, c.defs, c.topts));
  const columns = new Map<Stream, TypeColumns>();
  const from: { stream: Stream; version: string | undefined }[] = [];
  const blocks: string[] = [];
  for (const sel of opts.selections) {
    const stream = streamOf(sel, opts.fieldSelector);
    const table = await listTable(kube, sel.resource, { ...opts, fieldSelector: stream.fieldSelector });
    const c: TypeColumns = {
      defs: table.columnDefinitions ?? [],
      topts: {
        wide: opts.output === "wide",
        withNamespace: opts.allNamespaces && sel.resource.namespaced,
        kindPrefix: several ? typeLabel(sel.resource) : undefined,
        showLabels: opts.showLabels,
      },
    };
    columns.set(stream, c);
    from.push({ stream, version: table.metadata?.resourceVersion });
    const rows = table.rows.filter((r) => wanted(stream, rowMetadata(r)?.name));
    if (opts.watchOnly || rows.length === 0) continue;
    const block = [...header(c), ...rows.map((r) => line(c, "ADDED", r))];
    c.widths = columnWidths(block);
    blocks.push(formatColumns(block, c.widths));
  }
  // The first tables go out together, as `get a,b` prints them: a blank line between types.
  process.stdout.write(blocks.join(opts.noHeaders ? "" : "\n"));
  let printedAny = blocks.length > 0;
  await watchAll<KubeObject>(
    kube,
    from,
    opts,
    "tables",
    (s, type, object) => {
      const c = columns.get(s)!;
      const table = object as unknown as Table;
      if (table.columnDefinitions?.length) c.defs = table.columnDefinitions;
      const rows = (table.rows ?? [])
        .filter((r) => wanted(s, rowMetadata(r)?.name))
        .map((r) => line(c, type, r));
      if (rows.length === 0) return;
      if (c.widths === undefined) {
        // This type's first lines: its header first (after a blank line when another type's came before).
        const block = [...header(c), ...rows];
        c.widths = columnWidths(block);
        const gap = several && printedAny && !opts.noHeaders ? "\n" : "";
        process.stdout.write(`${gap}${formatColumns(block, c.widths)}`);
      } else {
        process.stdout.write(rows.map((r) => `${formatRow(r, c.widths!)}\n`).join(""));
      }
      printedAny = true;
    },
    signal,
  );
  return 0;
}

/**
 * -o name|yaml|json|jsonpath|custom-columns while watching: each object on its own; YAML documents
 * separated by "---"; custom columns print their header once.
 */
function objectWriter(format: ObjectFormat | TemplateOutput, opts: GetOptions) {
  let count = 0;
  return (type: WatchEventType, item: Printed) => {
    if (isTemplate(format)) {
      const noHeaders = opts.noHeaders || count++ > 0;
      process.stdout.write(formatWithTemplate(format, [item], false, { ...opts, noHeaders }));
      return;
    }
    let text =
      opts.outputWatchEvents && format !== "name"
        ? formatWatchEvent(type, item, format)
        : formatObjects([item], format, false);
    if (format === "yaml" && count > 0) text = `---\n${text}`;
    count++;
    process.stdout.write(text);
  };
}

async function watchAsObjects(
  kube: Kube,
  opts: GetOptions,
  format: ObjectFormat | TemplateOutput,
  signal: AbortSignal,
): Promise<number> {
  const write = objectWriter(format, opts);
  const from: { stream: Stream; version: string | undefined }[] = [];
  const initial: Printed[] = [];
  for (const sel of opts.selections) {
    const stream = streamOf(sel, opts.fieldSelector);
    const list = await kube.client.listAll(sel.resource, {
      namespace: scopeNamespace(kube, sel.resource, opts.allNamespaces),
      labelSelector: opts.labelSelector,
      fieldSelector: stream.fieldSelector,
    });
    from.push({ stream, version: list.metadata.resourceVersion });
    for (const object of list.items)
      if (wanted(stream, object.metadata.name)) initial.push({ resource: sel.resource, object });
  }
  if (!opts.watchOnly) for (const item of initial) write("ADDED", item);
  await watchAll<KubeObject>(
    kube,
    from,
    opts,
    "client",
    (s, type, object) => {
      if (wanted(s, object.metadata.name)) write(type, { resource: s.resource, object });
    },
    signal,
  );
  return 0;
}

export async function watchObjects(kube: Kube, opts: GetOptions, signal: AbortSignal): Promise<number> {
  if (!opts.ignoreNotFound) await requireNamed(kube, opts.selections);
  if (opts.output === "table" || opts.output === "wide") return watchTables(kube, opts, signal);
  return watchAsObjects(kube, opts, opts.output, signal);
}
