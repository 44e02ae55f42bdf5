// A printer turns one object of a resource into one Table row: Kubernetes' column definitions and
// server-side cell formatting (pkg/printers/internalversion). The API server always prints the wide
// cells too (kube-apiserver generates tables with Wide: true); kubectl hides priority > 0 columns
// unless `-o wide`.

import type { KubeObject, TableColumnDefinition, TableRow } from "../../api/meta.js";

export interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  /** The cells of one row, in column order. Integer columns are JSON numbers. */
  cells(obj: KubeObject, now: Date): unknown[];
  /** Row conditions (a finished pod's row is "Completed"). */
  conditions?(obj: KubeObject): TableRow["conditions"];
}

export function column(
  name: string,
  type: TableColumnDefinition["type"],
  description: string,
  opts: { priority?: number; format?: string } = {},
): TableColumnDefinition {
  return { name, type, format: opts.format ?? "", description, priority: opts.priority ?? 0 };
}

export const NAME_COLUMN = column(
  "Name",
  "string",
  "Name must be unique within a namespace; it identifies the object in paths.",
  { format: "name" },
);

export const AGE_COLUMN = column(
  "Age",
  "string",
  "Time since the object was created (metadata.creationTimestamp).",
);

/** The number of keys of a map field (ConfigMap and Secret data), 0 when absent. */
export function keyCount(v: unknown): number {
  return v !== null && typeof v === "object" ? Object.keys(v).length : 0;
}
