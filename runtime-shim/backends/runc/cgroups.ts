// Where a container's cgroup lives on cgroup v1 (/sys/fs/cgroup/<controller>/k8ts/<id>), and what the
// shim reads there: the OOM-kill counter and usage. runc creates the cgroup and sets the limits from
// config.json; `runc run --keep` leaves it in place after the container exits, so the monitor can
// still read memory.oom_control, and `runc delete` removes it.
// Known limitation: cgroup v2 hosts are refused with a clear error for now.

import { existsSync, readFileSync, rmdirSync } from "node:fs";
import { join } from "node:path";

const base = "/sys/fs/cgroup";
const group = "k8ts";
const controllers = ["blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids", "systemd"];

export function assertCgroupV1(): void {
  if (!existsSync(join(base, "memory", "memory.limit_in_bytes")))
    throw new Error(
      "the runc backend needs cgroup v1 with the memory controller at /sys/fs/cgroup/memory (cgroup v2 is not supported yet)",
    );
}

export const cgroupsPath = (id: string): string => `/${group}/${id}`;

export const oomCounter = (id: string): string => join(base, "memory", group, id, "memory.oom_control");

/** Removes whatever runc left of the container's cgroups (they must hold no processes). Idempotent. */
export function removeCgroups(id: string): void {
  for (const c of controllers)
    try {
      rmdirSync(join(base, c, group, id));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
}

export function readUsage(id: string): { cpuNanos: number; workingSetBytes: number } {
  const read = (file: string) => {
    try {
      return readFileSync(join(base, file), "utf8");
    } catch {
      return "";
    }
  };
  const cpuNanos = Number(read(join("cpuacct", group, id, "cpuacct.usage")).trim() || 0);
  const usage = Number(read(join("memory", group, id, "memory.usage_in_bytes")).trim() || 0);
  // Working set as the kubelet computes it: usage minus inactive file cache.
  const inactive = Number(
    /total_inactive_file (\d+)/.exec(read(join("memory", group, id, "memory.stat")))?.[1] ?? 0,
  );
  return { cpuNanos, workingSetBytes: Math.max(0, usage - inactive) };
}
