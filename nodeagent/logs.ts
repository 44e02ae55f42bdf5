// Container logs as `kubectl logs` wants them, read from the CRI log files the runtime writes
// (`<RFC3339Nano> <stream> <F|P> <content>` per line): tailLines, sinceSeconds, timestamps,
// limitBytes, and follow (keeps streaming until the container ends), as the kubelet's kuberuntime
// logs reader does.

import { closeSync, openSync, readSync, statSync } from "node:fs";

export interface LogOptions {
  follow: boolean;
  tailLines?: number;
  sinceMs?: number;
  timestamps: boolean;
  limitBytes?: number;
}

interface Entry {
  time: string;
  content: Buffer;
  full: boolean;
}

function parseLine(line: Buffer): Entry | undefined {
  const s1 = line.indexOf(32);
  const s2 = s1 < 0 ? -1 : line.indexOf(32, s1 + 1);
  const s3 = s2 < 0 ? -1 : line.indexOf(32, s2 + 1);
  if (s3 < 0) return undefined;
  return {
    time: line.subarray(0, s1).toString(),
    content: line.subarray(s3 + 1),
    full: line.subarray(s2 + 1, s3).toString() === "F",
  };
}

/** Reads complete CRI lines from `path` starting at `offset`; returns entries and the new offset. */
export function readEntries(path: string, offset: number): { entries: Entry[]; offset: number } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { entries: [], offset };
  }
  if (size <= offset) return { entries: [], offset };
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  const entries: Entry[] = [];
  let start = 0;
  for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
    const e = parseLine(buf.subarray(start, nl));
    if (e) entries.push(e);
    start = nl + 1;
  }
  return { entries, offset: offset + start };
}

/** Formats entries as the user sees them: partial lines joined, optional timestamp prefix. */
export class LogFormatter {
  private partial: Buffer[] = [];
  private partialTime = "";

  constructor(private readonly opts: Pick<LogOptions, "timestamps" | "sinceMs">) {}

  format(entries: Entry[]): Buffer[] {
    const out: Buffer[] = [];
    for (const e of entries) {
      if (!this.partial.length) this.partialTime = e.time;
      this.partial.push(e.content);
      if (!e.full) continue;
      const content = Buffer.concat(this.partial);
      this.partial = [];
      if (this.opts.sinceMs !== undefined && Date.parse(this.partialTime) < this.opts.sinceMs) continue;
      out.push(
        this.opts.timestamps
          ? Buffer.concat([Buffer.from(`${this.partialTime} `), content, Buffer.from("\n")])
          : Buffer.concat([content, Buffer.from("\n")]),
      );
    }
    return out;
  }
}

/** The lines of a finished read (no follow), after tail. */
export function tail(lines: Buffer[], n: number | undefined): Buffer[] {
  if (n === undefined || n < 0) return lines;
  return n === 0 ? [] : lines.slice(-n);
}
