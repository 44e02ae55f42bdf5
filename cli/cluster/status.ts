// `k8ts status`: each process of the local cluster (running or not) and whether the API answers.

import { type ClusterState, isAlive, readState } from "./state.js";

export interface StatusRow {
  name: string;
  pid: number;
  state: "running" | "stopped";
  log: string;
  /** A combined process: the components it hosts, each with its own log. */
  components?: { name: string; log: string }[];
}

export async function status(dataDir: string): Promise<{
  rows: StatusRow[];
  apiserverUrl?: string;
  podNetwork?: string;
  mode?: ClusterState["mode"];
  apiReady: boolean;
}> {
  const s = readState(dataDir);
  if (!s) return { rows: [], apiReady: false };
  const rows = s.processes.map(
    (p) =>
      ({
        name: p.name,
        pid: p.pid,
        state: isAlive(p.pid) ? "running" : "stopped",
        log: p.log,
        ...(p.components ? { components: p.components.map((c) => ({ name: c.name, log: c.log })) } : {}),
      }) as StatusRow,
  );
  let apiReady = false;
  try {
    apiReady = (await fetch(`${s.apiserverUrl}/readyz`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    apiReady = false;
  }
  return { rows, apiserverUrl: s.apiserverUrl, podNetwork: s.podNetwork, mode: s.mode, apiReady };
}
