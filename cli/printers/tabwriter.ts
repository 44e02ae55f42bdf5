// Elastic tabstops as Go's text/tabwriter computes them (kubectl prints tables and describe
// output through it): a column block is a run of consecutive lines that have a cell in that
// column; each cell of a block is padded to the block's widest cell plus `padding`, at least
// `minWidth`; the last cell of a line is never padded.

export interface TabwriterOptions {
  minWidth: number;
  padding: number;
}

export function tabwrite(text: string, opts: TabwriterOptions): string {
  const trailing = text.endsWith("\n");
  const lines = (trailing ? text.slice(0, -1) : text).split("\n").map((l) => l.split("\t"));
  const out: string[] = new Array(lines.length);
  const widths: number[] = [];
  const write = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      out[i] = cells
        .map((c, j) => (j < cells.length - 1 && j < widths.length ? c.padEnd(widths[j]!) : c))
        .join("");
    }
  };
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i]!.length - 1) continue;
      write(line0, i);
      line0 = i;
      let width = opts.minWidth;
      for (; i < line1 && column < lines[i]!.length - 1; i++) {
        width = Math.max(width, lines[i]![column]!.length + opts.padding);
      }
      widths.push(width);
      format(line0, i);
      widths.pop();
      line0 = i;
    }
    write(line0, line1);
  };
  format(0, lines.length);
  return out.join("\n") + (trailing ? "\n" : "");
}
