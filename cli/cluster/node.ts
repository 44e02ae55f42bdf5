// `k8ts node kill|restart NODE`: make one node of a local cluster fail or come back, to watch the
// cluster heal. kill is a crash: the node agent dies without a word and the node's containers go
// with it (its runtime is emptied and stopped), so the Lease stops being renewed and the node
// lifecycle controller must notice. restart starts the node's processes again with the same flags.
// In a combined cluster (`k8ts up --combined`) the node is one worker process: kill kills it,
// restart starts it again.

import { emptyAndStopRuntime } from "./node-runtime.js";
import { spawnLogged } from "./spawn.js";
import {
  componentsOf,
  findComponent,
  isAlive,
  logDir,
  type ProcessRecord,
  readState,
  writeState,
} from "./state.js";
import { ClusterError } from "./up.js";

function nodeProcesses(dataDir: string, node: string) {
  const state = readState(dataDir);
  if (!state || state.processes.length === 0) {
    throw new ClusterError(`no cluster is running from ${dataDir}: start one with \`k8ts up\``);
  }
  const agent = findComponent(state.processes, `nodeagent-${node}`);
  const runtime = findComponent(state.processes, `runtime-${node}`);
  if (!agent || !runtime) {
    const nodes = state.processes
      .flatMap((p) => componentsOf(p))
      .filter((c) => c.name.startsWith("nodeagent-"))
      .map((c) => c.name.slice(10));
    throw new ClusterError(
      `no node "${node}" in this cluster; its nodes are: ${nodes.join(", ") || "(none)"}`,
    );
  }
  // In a combined cluster both are the node's one worker process.
  return {
    state,
    agent: agent.host,
    runtime: runtime.component,
    hosts: [...new Set([runtime.host, agent.host])],
  };
}

export async function killNode(dataDir: string, node: string, progress: (l: string) => void): Promise<void> {
  const { agent, runtime } = nodeProcesses(dataDir, node);
  const what = agent.components ? `${agent.name} (runtime-shim and node agent)` : `node agent of ${node}`;
  if (isAlive(agent.pid)) {
    try {
      process.kill(-agent.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
    while (isAlive(agent.pid)) await new Promise((r) => setTimeout(r, 20));
    progress(`${what} killed (pid ${agent.pid})`);
  } else {
    progress(`${what} was not running`);
  }
  const pods = await emptyAndStopRuntime(runtime, logDir(dataDir));
  progress(`runtime of ${node} stopped; ${pods} pod${pods === 1 ? "" : "s"} died with it`);
}

export async function restartNode(
  dataDir: string,
  node: string,
  progress: (l: string) => void,
): Promise<void> {
  const { state, agent, hosts } = nodeProcesses(dataDir, node);
  const logs = logDir(dataDir);
  const respawn = (rec: ProcessRecord): ProcessRecord => {
    if (isAlive(rec.pid)) {
      progress(`${rec.name} is already running (pid ${rec.pid})`);
      return rec;
    }
    const fresh = { ...rec, ...spawnLogged(rec.name, rec.args[0]!, rec.args.slice(1), logs) };
    progress(`${rec.name} started (pid ${fresh.pid})`);
    return fresh;
  };
  const fresh = new Map(hosts.map((h) => [h, respawn(h)]));
  const newAgent = fresh.get(agent)!;
  state.processes = state.processes.map((p) => fresh.get(p) ?? p);
  writeState(state);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${state.apiserverUrl}/api/v1/nodes/${node}`, {
        signal: AbortSignal.timeout(1000),
      });
      const n = (await res.json()) as { status?: { conditions?: { type: string; status: string }[] } };
      if (n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) {
        progress(`node ${node} is Ready`);
        return;
      }
    } catch {
      /* keep waiting */
    }
    if (!isAlive(newAgent.pid))
      throw new ClusterError(`the node agent of ${node} exited; see ${newAgent.log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new ClusterError(`node ${node} did not become Ready within 60 s; see ${newAgent.log}`);
}
