// Where a container's cgroup lives and what the shim reads there (the OOM-kill counter, usage), on
// both cgroup versions. runc creates the cgroup and sets the limits from config.json (it writes the
// same linux.resources as v1 files or v2 files: memory.limit_in_bytes or memory.max, cpu.cfs_quota_us
// or cpu.max, cpu.shares or cpu.weight); `runc run --keep` leaves the cgroup in place after the
// container exits, so the monitor can still read its OOM-kill counter, and `runc delete` removes it.
//
//   v1: /sys/fs/cgroup/<controller>/k8ts/<id>; OOM kills in memory/…/memory.oom_control (oom_kill N),
//       usage in cpuacct.usage, memory.usage_in_bytes and memory.stat total_inactive_file.
//   v2: /sys/fs/cgroup/k8ts/<id>, one directory; OOM kills in memory.events (oom_kill N), usage in
//       cpu.stat usage_usec, memory.current and memory.stat inactive_file.
// A hybrid host (v1 controllers plus an empty unified hierarchy) is v1 here, as runc treats it.
// The cgroupsPath is the same "/k8ts/<id>" for both: runc's cgroupfs driver reads it as relative to
// each v1 controller's mount, or to the v2 root.

import { existsSync, readFileSync, rmdirSync } from "node:fs";
import { join } from "node:path";

export type CgroupVersion = "v1" | "v2";

const group = "k8ts";
const v1Controllers = [
  "blkio",
  "cpu",
  "cpuacct",
  "cpuset",
  "devices",
  "freezer",
  "memory",
  "pids",
  "systemd",
];

function read(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function statField(text: string, key: string): number {
  return Number(new RegExp(`^${key} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
}

/** Which cgroup version `root` (normally /sys/fs/cgroup) is mounted as; a clear error when neither works. */
export function detectCgroupVersion(root = "/sys/fs/cgroup"): CgroupVersion {
  if (existsSync(join(root, "memory", "memory.limit_in_bytes"))) return "v1";
  const controllers = read(join(root, "cgroup.controllers"));
  if (existsSync(join(root, "cgroup.controllers"))) {
    const missing = ["memory", "cpu"].filter((c) => !controllers.split(/\s+/).includes(c));
    if (missing.length)
      throw new Error(
        `the runc backend needs the ${missing.join(", ")} cgroup v2 controller${missing.length > 1 ? "s" : ""} (${join(root, "cgroup.controllers")} lists "${controllers.trim()}")`,
      );
    return "v2";
  }
  throw new Error(
    `the runc backend needs cgroups: neither cgroup v1 (${join(root, "memory")}) nor cgroup v2 (${join(root, "cgroup.controllers")}) is mounted at ${root}`,
  );
}

/** The cgroups of the shim's containers under one cgroup root, for one cgroup version. */
export class Cgroups {
  constructor(
    readonly version: CgroupVersion,
    private readonly root = "/sys/fs/cgroup",
  ) {}

  static detect(root = "/sys/fs/cgroup"): Cgroups {
    return new Cgroups(detectCgroupVersion(root), root);
  }

  /** config.json's linux.cgroupsPath. */
  cgroupsPath(id: string): string {
    return `/${group}/${id}`;
  }

  /** The file whose "oom_kill N" line counts the container's OOM kills. */
  oomCounter(id: string): string {
    return this.version === "v1"
      ? join(this.root, "memory", group, id, "memory.oom_control")
      : join(this.root, group, id, "memory.events");
  }

  /** CPU time used and the working set (usage minus inactive file cache, as the kubelet computes it). */
  usage(id: string): { cpuNanos: number; workingSetBytes: number } {
    const v1 = this.version === "v1";
    const memory = v1 ? join(this.root, "memory", group, id) : join(this.root, group, id);
    const cpuNanos = v1
      ? Number(read(join(this.root, "cpuacct", group, id, "cpuacct.usage")).trim() || 0)
      : statField(read(join(memory, "cpu.stat")), "usage_usec") * 1000;
    const usage = Number(read(join(memory, v1 ? "memory.usage_in_bytes" : "memory.current")).trim() || 0);
    const inactive = statField(
      read(join(memory, "memory.stat")),
      v1 ? "total_inactive_file" : "inactive_file",
    );
    return { cpuNanos, workingSetBytes: Math.max(0, usage - inactive) };
  }

  /** Removes whatever runc left of the container's cgroups (they must hold no processes). Idempotent. */
  remove(id: string): void {
    const dirs =
      this.version === "v1"
        ? v1Controllers.map((c) => join(this.root, c, group, id))
        : [join(this.root, group, id)];
    for (const dir of dirs)
      try {
        rmdirSync(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
  }
}
