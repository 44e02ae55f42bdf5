// Aligned columns the way kubectl prints them (Go's tabwriter with minwidth 6, padding 3): every
// column but the last is padded to its widest cell plus three spaces, at least six wide.

const MIN_WIDTH = 6;
const PADDING = 3;

export function formatColumns(
  rows: readonly (readonly string[])[],
  widths: number[] = columnWidths(rows),
): string {
  return rows.map((cells) => `${formatRow(cells, widths)}\n`).join("");
}

export function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const widths: number[] = [];
  for (const cells of rows) {
    cells.forEach((c, i) => {
      if (i < cells.length - 1) widths[i] = Math.max(widths[i] ?? 0, Math.max(c.length + PADDING, MIN_WIDTH));
    });
  }
  return widths;
}

/** One row against known widths (a watch prints rows as they come, aligned to the first table). */
export function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) =>
      i < cells.length - 1 ? c.padEnd(widths[i] ?? Math.max(c.length + PADDING, MIN_WIDTH)) : c,
    )
    .join("");
}
