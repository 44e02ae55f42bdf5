// `k8ts down`: stops every process of the local cluster, newest first (etcd last), by PID.

import { stopProcess } from "./spawn.js";
import { readState, writeState } from "./state.js";

export async function down(dataDir: string, progress: (line: string) => void): Promise<number> {
  const state = readState(dataDir);
  if (!state || state.processes.length === 0) {
    progress(`no cluster is running from ${dataDir}`);
    return 0;
  }
  let stopped = 0;
  for (const p of [...state.processes].reverse()) {
    const r = await stopProcess(p);
    if (r === "stopped") stopped++;
    progress(`${p.name.padEnd(12)} ${r === "stopped" ? "stopped" : "was not running"} (pid ${p.pid})`);
  }
  state.processes = [];
  writeState(state);
  return stopped;
}
