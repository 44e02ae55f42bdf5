// Small functions that each change one aspect of an OCI spec. Composed by container-spec.ts from a
// CRI request; each is simple enough to read as the rule it implements.

import type { LinuxContainerResources, Mount } from "../../proto/runtime/v1/index.js";
import { defaultCapabilities, type OciSpec, type SpecOpt } from "./spec.js";

export const withProcessArgs =
  (args: string[], env: string[], cwd: string): SpecOpt =>
  (s) => {
    s.process.args = args;
    s.process.env = env;
    s.process.cwd = cwd;
  };

export const withHostname =
  (hostname: string): SpecOpt =>
  (s) => {
    s.hostname = hostname;
  };

export const withUser =
  (uid: number, gid: number, additionalGids: number[] = []): SpecOpt =>
  (s) => {
    s.process.user = additionalGids.length ? { uid, gid, additionalGids } : { uid, gid };
  };

export const withReadonlyRootfs =
  (readonly: boolean): SpecOpt =>
  (s) => {
    s.root.readonly = readonly;
  };

export const withNoNewPrivileges =
  (on: boolean): SpecOpt =>
  (s) => {
    s.process.noNewPrivileges = on;
  };

/** Joins the pod's network namespace by path, or the host's when path is empty (hostNetwork). */
export const withNetworkNamespace =
  (path: string): SpecOpt =>
  (s) => {
    s.linux.namespaces = s.linux.namespaces.filter((n) => n.type !== "network");
    if (path) s.linux.namespaces.push({ type: "network", path });
  };

export const withCgroupsPath =
  (path: string): SpecOpt =>
  (s) => {
    s.linux.cgroupsPath = path;
  };

/**
 * The CRI resources as cgroup limits. Memory+swap is capped at the memory limit, so a process over
 * the limit is OOM-killed rather than swapped out (Kubernetes runs without swap by default).
 * The same fields serve cgroup v1 and v2; runc writes them as each version's files: on v1
 * memory.limit_in_bytes and memory.memsw.limit_in_bytes (= limit), cpu.cfs_quota_us/cfs_period_us and
 * cpu.shares; on v2 memory.max, memory.swap.max = swap − limit = 0 (no swap), cpu.max "quota period"
 * and cpu.weight converted from the shares. The cgroupsPath ("/k8ts/<id>") suits both.
 */
export const withResources =
  (r: LinuxContainerResources): SpecOpt =>
  (s) => {
    if (r.memoryLimitInBytes && r.memoryLimitInBytes > 0)
      s.linux.resources.memory = { limit: r.memoryLimitInBytes, swap: r.memoryLimitInBytes };
    const cpu: NonNullable<OciSpec["linux"]["resources"]["cpu"]> = {};
    if (r.cpuQuota && r.cpuQuota > 0) {
      cpu.quota = r.cpuQuota;
      cpu.period = r.cpuPeriod && r.cpuPeriod > 0 ? r.cpuPeriod : 100_000;
    }
    if (r.cpuShares && r.cpuShares > 0) cpu.shares = r.cpuShares;
    if (r.cpusetCpus) cpu.cpus = r.cpusetCpus;
    if (r.cpusetMems) cpu.mems = r.cpusetMems;
    if (Object.keys(cpu).length) s.linux.resources.cpu = cpu;
  };

export const withOomScoreAdj =
  (adj: number): SpecOpt =>
  (s) => {
    if (adj) s.process.oomScoreAdj = adj;
  };

function capName(c: string): string {
  const upper = c.toUpperCase();
  return upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
}

/** Kubernetes' add/drop on top of the default set; "ALL" in drop empties the set first. */
export const withCapabilities =
  (add: string[], drop: string[]): SpecOpt =>
  (s) => {
    const dropAll = drop.some((d) => d.toUpperCase() === "ALL");
    const dropped = new Set(drop.map(capName));
    let caps = dropAll ? [] : defaultCapabilities.filter((c) => !dropped.has(c));
    for (const a of add.map(capName)) if (!caps.includes(a)) caps.push(a);
    if (add.some((a) => a.toUpperCase() === "ALL")) caps = allCapabilities();
    s.process.capabilities = { bounding: [...caps], effective: [...caps], permitted: [...caps] };
  };

/** Privileged: every capability, no masked or read-only /proc paths, read-write /sys, all devices. */
export const withPrivileged: SpecOpt = (s) => {
  const caps = allCapabilities();
  s.process.capabilities = { bounding: [...caps], effective: [...caps], permitted: [...caps] };
  s.linux.maskedPaths = [];
  s.linux.readonlyPaths = [];
  s.linux.resources.devices = [{ allow: true, access: "rwm" }];
  for (const m of s.mounts) if (m.type === "sysfs") m.options = (m.options ?? []).filter((o) => o !== "ro");
};

/** The CRI request's bind mounts (volumes), read-only where asked. */
export const withBindMounts =
  (mounts: Mount[]): SpecOpt =>
  (s) => {
    for (const m of mounts) {
      s.mounts = s.mounts.filter((x) => x.destination !== m.containerPath);
      s.mounts.push({
        destination: m.containerPath!,
        type: "bind",
        source: m.hostPath!,
        options: ["rbind", "rprivate", m.readonly ? "ro" : "rw"],
      });
    }
  };

export const withAnnotations =
  (annotations: Record<string, string>): SpecOpt =>
  (s) => {
    if (Object.keys(annotations).length) s.annotations = { ...annotations };
  };

function allCapabilities(): string[] {
  // The capabilities Linux 5.9+ knows (CAP_LAST_CAP = CAP_CHECKPOINT_RESTORE).
  return [
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
  ];
}

export type { OciSpec };
