// How much memory a set of processes holds, read from /proc (Linux; distinct pages need root).
//
//   rss      resident pages, shared ones included: what `ps` shows, and what issue #7 sums. Every
//            Node.js process maps the same ~35-45 MiB of the node binary, so a sum of RSS counts
//            that once per process.
//   private  pages only this process maps (USS): what stopping it would give back.
//   pss      private plus each shared page divided by the number of processes mapping it.
//   distinct the physical pages mapped by any process of the set, each counted once: what the set
//            costs the machine (from /proc/<pid>/pagemap frame numbers).

import { closeSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";

export interface ProcessMemory {
  rssKiB: number;
  privateKiB: number;
  pssKiB: number;
  sharedKiB: number;
}

/** From /proc/<pid>/smaps_rollup; undefined when the process is gone. */
export function processMemory(pid: number): ProcessMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  return {
    rssKiB: field("Rss"),
    privateKiB: field("Private_Clean") + field("Private_Dirty"),
    pssKiB: field("Pss"),
    sharedKiB: field("Shared_Clean") + field("Shared_Dirty"),
  };
}

/** The given processes and all their descendants, by /proc's parent links, roots first. */
export function withDescendants(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const queue = [...roots];
  while (queue.length) {
    const p = queue.shift()!;
    if (out.includes(p)) continue;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** The process's command line, for naming a descendant. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

const PAGE_KIB = 4;
const CHUNK_PAGES = 65536;

/**
 * KiB of distinct physical pages mapped by any of the processes. Undefined when the frame numbers
 * cannot be read (not root: the kernel then reports them as zero).
 */
export function distinctKiB(pids: number[]): number | undefined {
  const frames = new Set<number>();
  const buf = Buffer.alloc(CHUNK_PAGES * 8);
  let sawPresent = false;
  for (const pid of pids) {
    let maps: string;
    let fd: number;
    try {
      maps = readFileSync(`/proc/${pid}/maps`, "utf8");
      fd = openSync(`/proc/${pid}/pagemap`, "r");
    } catch {
      continue;
    }
    try {
      for (const line of maps.split("\n")) {
        const m = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
        if (!m || line.endsWith("[vsyscall]")) continue;
        const first = Number.parseInt(m[1]!, 16) / 4096;
        const end = Number.parseInt(m[2]!, 16) / 4096;
        // In chunks: V8 and WebAssembly reserve gigabytes of address space that is never touched.
        for (let page = first; page < end; page += CHUNK_PAGES) {
          const n = readSync(fd, buf, 0, Math.min(CHUNK_PAGES, end - page) * 8, page * 8);
          for (let off = 0; off + 8 <= n; off += 8) {
            const high = buf.readUInt32LE(off + 4);
            if (!(high & 0x80000000)) continue; // not present
            sawPresent = true;
            const frame = (high & 0x7fffff) * 2 ** 32 + buf.readUInt32LE(off);
            if (frame !== 0) frames.add(frame);
          }
        }
      }
    } finally {
      closeSync(fd);
    }
  }
  if (sawPresent && frames.size === 0) return undefined;
  return frames.size * PAGE_KIB;
}
