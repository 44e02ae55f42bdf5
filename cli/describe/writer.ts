// The shape of kubectl describe output: "Key:\tvalue" lines at indent levels of two spaces,
// aligned by Go's tabwriter (minwidth 0, padding 2) over the whole text, as kubectl's PrefixWriter.

import { tabwrite } from "../printers/tabwriter.js";

export class DescribeWriter {
  private text = "";

  /** A line at `level`; tabs separate aligned cells ("Name:\tweb"). */
  line(level: number, text: string): this {
    this.text += `${"  ".repeat(level)}${text}\n`;
    return this;
  }

  /** "Key:  value", with "<none>" for an empty value. */
  field(level: number, key: string, value: string | number | boolean | undefined): this {
    const v = value === undefined || value === "" ? "<none>" : String(value);
    return this.line(level, `${key}:\t${v}`);
  }

  /** "Labels:  a=1" and the rest of the map on the following lines, aligned under the first. */
  map(level: number, key: string, map: Record<string, string> | undefined): this {
    // kubectl leaves out the last-applied record: it repeats the whole object.
    const entries = Object.entries(map ?? {})
      .filter(([k]) => k !== "kubectl.kubernetes.io/last-applied-configuration")
      .sort(([a], [b]) => a.localeCompare(b));
    if (entries.length === 0) return this.field(level, key, undefined);
    return this.continued(
      level,
      key,
      entries.map(([k, v]) => `${k}=${v.trimEnd()}`),
    );
  }

  /** "Key:  first" and the other values on the following lines, aligned under the first. */
  continued(level: number, key: string, values: string[]): this {
    if (values.length === 0) return this.field(level, key, undefined);
    values.forEach((v, i) => {
      this.line(level, `${i === 0 ? `${key}:` : ""}\t${v}`);
    });
    return this;
  }

  /** A table: header, dashes, rows (kubectl's Conditions and Events sections). */
  table(
    level: number,
    header: string[],
    rows: string[][],
    dashes = header.map((h) => "-".repeat(h.length)),
  ): this {
    this.line(level, header.join("\t"));
    this.line(level, dashes.join("\t"));
    for (const r of rows) this.line(level, r.join("\t"));
    return this;
  }

  toString(): string {
    return tabwrite(this.text, { minWidth: 0, padding: 2 });
  }
}
