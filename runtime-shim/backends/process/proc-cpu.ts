// CPU time of a process from /proc (Linux): utime + stime of the process itself (not of its exited
// children). The process backend reports a container's CPU with it; benchmarks read it before and
// after a phase, and the difference is what the phase cost that process, a figure that stays
// steady on a shared machine where rates do not.

import { readFileSync } from "node:fs";

/** CPU milliseconds (user + system) `pid` has used so far; undefined if it cannot be read. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (!pid || pid < 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces: fields are counted after its closing ")".
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in ticks of 1/100 s
  } catch {
    return undefined;
  }
}
