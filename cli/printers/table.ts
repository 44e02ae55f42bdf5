// Printing the server's meta.k8s.io/v1 Tables as kubectl get does: upper-case headers, wide-only
// columns (priority > 0) with -o wide, a NAMESPACE column for -A read from each row's object, the
// "pod/" prefix on names when several types are printed together, a LABELS column for --show-labels.

import type { ObjectMeta, Table, TableColumnDefinition, TableRow } from "../../api/index.js";

export interface TableOptions {
  wide?: boolean;
  /** -A: a leading NAMESPACE column. */
  withNamespace?: boolean;
  /** "pod", "deployment.apps": prefixed to the name column as "pod/p1". */
  kindPrefix?: string;
  showLabels?: boolean;
}

export function visibleColumns(defs: readonly TableColumnDefinition[], wide: boolean): number[] {
  return defs.flatMap((d, i) => (wide || d.priority === 0 ? [i] : []));
}

export function headerCells(defs: readonly TableColumnDefinition[], opts: TableOptions): string[] {
  const cells = visibleColumns(defs, opts.wide ?? false).map((i) => defs[i]!.name.toUpperCase());
  if (opts.withNamespace) cells.unshift("NAMESPACE");
  if (opts.showLabels) cells.push("LABELS");
  return cells;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "<none>";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export function rowMetadata(row: TableRow): ObjectMeta | undefined {
  return (row.object as { metadata?: ObjectMeta } | undefined)?.metadata;
}

export function rowCells(
  row: TableRow,
  defs: readonly TableColumnDefinition[],
  opts: TableOptions,
): string[] {
  const cells = visibleColumns(defs, opts.wide ?? false).map((i) => {
    const text = cellText(row.cells[i]);
    return opts.kindPrefix && defs[i]!.format === "name" ? `${opts.kindPrefix}/${text}` : text;
  });
  const meta = rowMetadata(row);
  if (opts.withNamespace) cells.unshift(meta?.namespace ?? "");
  if (opts.showLabels) {
    const labels = Object.entries(meta?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
    cells.push(labels.length ? labels.sort().join(",") : "<none>");
  }
  return cells;
}

/** Header plus one line per row, as cells (formatColumns aligns them). */
export function tableCells(table: Table, opts: TableOptions): string[][] {
  const defs = table.columnDefinitions ?? [];
  return [headerCells(defs, opts), ...table.rows.map((r) => rowCells(r, defs, opts))];
}
