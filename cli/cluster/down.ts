// `k8ts down`: stops the local cluster. Node agents first (so nothing restarts pods), then every
// node's pods are removed through its runtime, then the rest newest first, etcd last. By PID only.
// In a combined cluster a node's agent and runtime share one process: stopping it stops both, and
// its runtime-shim is started alone again just long enough to remove the node's pods.

import { emptyAndStopRuntime } from "./node-runtime.js";
import { stopProcess } from "./spawn.js";
import { componentRecord, componentsOf, logDir, type ProcessRecord, readState, writeState } from "./state.js";

export async function down(dataDir: string, progress: (line: string) => void): Promise<number> {
  const state = readState(dataDir);
  if (!state || state.processes.length === 0) {
    progress(`no cluster is running from ${dataDir}`);
    return 0;
  }
  const all = [...state.processes].reverse();
  const hosting = (prefix: string) =>
    all.filter((p) => componentsOf(p).some((c) => c.name.startsWith(prefix)));
  const agents = hosting("nodeagent-");
  const runtimeHosts = hosting("runtime-");
  const runtimes = runtimeHosts.flatMap((p) =>
    componentsOf(p)
      .filter((c) => c.name.startsWith("runtime-"))
      .map((c) => componentRecord(p, c)),
  );
  const rest = all.filter((p) => !agents.includes(p) && !runtimeHosts.includes(p));
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
