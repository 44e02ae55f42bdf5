// A local cluster's record on disk: <data-dir>/cluster.json lists each process k8ts started (by
// PID; each leads its own process group) and where the cluster answers. `up` writes it, `down`
// and `status` read it. Nothing else finds processes: never by name.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface ProcessRecord {
  name: string;
  pid: number;
  args: string[];
  log: string;
  /** A combined process (`k8ts up --combined`): the components it hosts. */
  components?: ComponentRecord[];
}

/** A component hosted by a combined process: its log, and the command that would run it alone. */
export interface ComponentRecord {
  name: string;
  args: string[];
  log: string;
}

export interface ClusterState {
  dataDir: string;
  apiserverUrl: string;
  etcdEndpoint: string;
  /** host:port of the scheduler's /metrics, /healthz and /debug/decisions. */
  schedulerAddress?: string;
  /** runc: the block the nodes' pod CIDRs come from (node i: its (i+1)th /24). */
  podNetwork?: string;
  /** "combined": one process for the control plane and one per node (absent in older files: separate). */
  mode?: "separate" | "combined";
  startedAt: string;
  processes: ProcessRecord[];
}

export function defaultDataDir(): string {
  return process.env.K8TS_DATA_DIR ?? join(homedir(), ".k8ts");
}

export function resolveDataDir(flag: string | undefined): string {
  return resolve(flag ?? defaultDataDir());
}

export const statePath = (dataDir: string) => join(dataDir, "cluster.json");
export const kubeconfigPath = (dataDir: string) => join(dataDir, "kubeconfig");
export const logDir = (dataDir: string) => join(dataDir, "logs");

export function readState(dataDir: string): ClusterState | undefined {
  const p = statePath(dataDir);
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

export function writeState(state: ClusterState): void {
  mkdirSync(state.dataDir, { recursive: true });
  const p = statePath(state.dataDir);
  writeFileSync(`${p}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${p}.tmp`, p);
}

/** The components a recorded process runs: itself, or the ones it hosts. */
export function componentsOf(p: ProcessRecord): ComponentRecord[] {
  return p.components ?? [{ name: p.name, args: p.args, log: p.log }];
}

/**
 * A component as a record of its own: its host's PID with the component's command and log. `down`
 * and `node kill` use it to start a dead node's runtime-shim alone (node-runtime.ts), whichever way
 * the node ran.
 */
export function componentRecord(host: ProcessRecord, c: ComponentRecord): ProcessRecord {
  return { name: c.name, pid: host.pid, args: c.args, log: c.log };
}

/** The process that runs component `name`, and that component as a record of its own. */
export function findComponent(
  processes: ProcessRecord[],
  name: string,
): { host: ProcessRecord; component: ProcessRecord } | undefined {
  for (const host of processes) {
    const c = componentsOf(host).find((c) => c.name === name);
    if (c) return { host, component: componentRecord(host, c) };
  }
  return undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
