// `k8ts down`: stops the local cluster. Node agents first (so nothing restarts pods), then every
// node's pods are removed through its runtime, then the rest newest first, etcd last. By PID only.

import { emptyAndStopRuntime } from "./node-runtime.js";
import { stopProcess } from "./spawn.js";
import { logDir, type ProcessRecord, readState, writeState } from "./state.js";

export async function down(dataDir: string, progress: (line: string) => void): Promise<number> {
  const state = readState(dataDir);
  if (!state || state.processes.length === 0) {
    progress(`no cluster is running from ${dataDir}`);
    return 0;
  }
  const all = [...state.processes].reverse();
  const agents = all.filter((p) => p.name.startsWith("nodeagent-"));
  const runtimes = all.filter((p) => p.name.startsWith("runtime-"));
  const rest = all.filter((p) => !agents.includes(p) && !runtimes.includes(p));
  let stopped = 0;
  const report = (p: ProcessRecord, r: string) => progress(`${p.name.padEnd(18)} ${r} (pid ${p.pid})`);
  for (const p of agents) {
    const r = await stopProcess(p);
    if (r === "stopped") stopped++;
    report(p, r === "stopped" ? "stopped" : "was not running");
  }
  await Promise.all(
    runtimes.map(async (p) => {
      try {
        const pods = await emptyAndStopRuntime(p, logDir(dataDir));
        stopped++;
        report(p, `stopped, ${pods} pod${pods === 1 ? "" : "s"} removed`);
      } catch (err) {
        report(p, `stopped; removing its pods failed: ${(err as Error).message}`);
      }
    }),
  );
  for (const p of rest) {
    const r = await stopProcess(p);
    if (r === "stopped") stopped++;
    report(p, r === "stopped" ? "stopped" : "was not running");
  }
  state.processes = [];
  writeState(state);
  return stopped;
}
