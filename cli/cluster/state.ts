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
}

export interface ClusterState {
  dataDir: string;
  apiserverUrl: string;
  etcdEndpoint: string;
  /** host:port of the scheduler's /metrics, /healthz and /debug/decisions. */
  schedulerAddress?: string;
  /** runc: the block the nodes' pod CIDRs come from (node i: its (i+1)th /24). */
  podNetwork?: string;
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

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
