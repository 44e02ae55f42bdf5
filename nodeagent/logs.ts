// Container logs as `kubectl logs` wants them, read from the CRI log files the runtime writes
// (`<RFC3339Nano> <stream> <F|P> <content>` per line): tailLines, sinceSeconds, timestamps,
// limitBytes, and follow (keeps streaming until the container ends, across log rotations), as the
// kubelet's kuberuntime logs reader does.

import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { rotatedFiles } from "./log-rotation.js";

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

/** Complete CRI lines in `buf`, and how many bytes they took (a trailing partial line is left). */
function parseEntries(buf: Buffer): { entries: Entry[]; used: number } {
  const entries: Entry[] = [];
  let start = 0;
  for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
    const e = parseLine(buf.subarray(start, nl));
    if (e) entries.push(e);
    start = nl + 1;
  }
  return { entries, used: start };
}

/**
 * Reads a container's log file from the start, then on each `next()` what was added since. When
 * the file is rotated (renamed, and the runtime reopened the path: log-rotation.ts) it reads the
 * renamed file to its end, then goes on from the start of the new file at the path, as the
 * kubelet's follow does; so `kubectl logs -f` neither stops nor repeats across a rotation. When
 * several rotations came between two reads, the rotated files in between are read in order.
 */
export class LogFollower {
  private fd: number | undefined;
  private ino = -1;
  private offset = 0;

  constructor(private readonly path: string) {}

  /**
   * The complete entries written since the last call (all of them on the first), across every
   * rotation since: the end of the file being read, then each newer file in order.
   */
  next(): Entry[] {
    if (this.fd === undefined && !this.open(this.path)) return [];
    const entries: Entry[] = [];
    for (;;) {
      // Asked before reading: once the path names another file the runtime has reopened its log
      // and writes nothing more to ours, so reading it now reads all of it.
      const rotatedAway = this.pathNamesAnotherFile();
      entries.push(...this.readOn());
      if (!rotatedAway) return entries;
      const after = this.fileAfter();
      this.close();
      if (!this.open(after)) return entries;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * The file to read after the one just drained: the next rotated file when more than one rotation
   * came between two reads, else the current one. If ours is gone (the oldest are deleted first),
   * every rotated file left is newer than it.
   */
  private fileAfter(): string {
    let rotated: string[];
    try {
      rotated = rotatedFiles(this.path, readdirSync(dirname(this.path)));
    } catch {
      return this.path;
    }
    const at = rotated.findIndex((f) => {
      try {
        return statSync(f).ino === this.ino;
      } catch {
        return false;
      }
    });
    return (at >= 0 ? rotated[at + 1] : rotated[0]) ?? this.path;
  }

  private pathNamesAnotherFile(): boolean {
    try {
      return statSync(this.path).ino !== this.ino;
    } catch {
      return false; // renamed, not reopened yet
    }
  }

  private open(path: string): boolean {
    try {
      this.fd = openSync(path, "r");
    } catch {
      return false;
    }
    this.ino = fstatSync(this.fd).ino;
    this.offset = 0;
    return true;
  }

  private readOn(): Entry[] {
    const size = fstatSync(this.fd!).size;
    if (size <= this.offset) return [];
    const buf = Buffer.alloc(size - this.offset);
    const n = readSync(this.fd!, buf, 0, buf.length, this.offset);
    const { entries, used } = parseEntries(buf.subarray(0, n));
    this.offset += used;
    return entries;
  }
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
