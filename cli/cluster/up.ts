// `k8ts up`: a local cluster on this machine. Plans the processes (plan.ts), starts them wave by
// wave, each in its own process group with its own log, waits until each answers, and returns,
// leaving the cluster running. The kubeconfig is written first so components can read it.

import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { etcdEnv } from "./etcd-args.js";
import { checkEtcdVersion } from "./etcd-version.js";
import { findBinary, missingBinaryMessage } from "./find-binary.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { type ClusterPlan, type PlanInput, type ProcessSpec, planCluster, type Readiness } from "./plan.js";
import { choosePodBlock, preferredPodBlock, routeDestinations } from "./pod-network.js";
import { freePort, portFree } from "./ports.js";
import { k8tsCommand, spawnComponent, spawnLogged, stopProcess } from "./spawn.js";
import {
  type ClusterState,
  isAlive,
  kubeconfigPath,
  logDir,
  type ProcessRecord,
  readState,
  writeState,
} from "./state.js";

/** What the plan needs (ports are chosen here), the preferred API server port, and progress. */
export interface UpOptions extends Omit<PlanInput, "ports"> {
  /** Preferred API server port; a free one is chosen when it is taken or 0. */
  apiserverPort: number;
  /** Called with a line of progress for the user. */
  progress: (line: string) => void;
}

export class ClusterError extends Error {}

function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function nodeReady(apiserverUrl: string, name: string): Promise<boolean> {
  try {
    const res = await fetch(`${apiserverUrl}/api/v1/nodes/${name}`, { signal: AbortSignal.timeout(1000) });
    if (!res.ok) return false;
    const node = (await res.json()) as { status?: { conditions?: { type: string; status: string }[] } };
    return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
  } catch {
    return false;
  }
}

function isReady(r: Readiness, plan: ClusterPlan): Promise<boolean> {
  return r.kind === "http" ? httpOk(r.url) : nodeReady(plan.apiserverUrl, r.name);
}

function describeReady(spec: ProcessSpec): string {
  const node = spec.ready.find((r) => r.kind === "node");
  const what = node ? `node ${node.name} Ready` : spec.name;
  return spec.components ? `${what} (${spec.components.map((c) => c.name).join(", ")})` : what;
}

/** The host's IPv4 routes, to keep the pod network clear of them; none when `ip` is missing. */
function hostRoutes(): string[] {
  try {
    return routeDestinations(
      execFileSync("ip", ["-4", "route", "show", "table", "all"], { encoding: "utf8" }),
    );
  } catch {
    return [];
  }
}

function podBlockFor(dataDir: string): number {
  const block = choosePodBlock(hostRoutes(), preferredPodBlock(dataDir));
  if (block === undefined) {
    throw new ClusterError(
      "no free 10.x.0.0/16 for the pods: the host's routes (ip route) cover every block from 10.16 to 10.254",
    );
  }
  return block;
}

async function waitReady(
  spec: ProcessSpec,
  rec: ProcessRecord,
  plan: ClusterPlan,
  deadlineMs: number,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let passed = 0;
  while (Date.now() < deadline) {
    while (passed < spec.ready.length && (await isReady(spec.ready[passed]!, plan))) passed++;
    if (passed === spec.ready.length) return;
    if (!isAlive(rec.pid)) {
      throw new ClusterError(
        `${spec.name} exited during start-up. Last lines of ${rec.log}:\n${tail(rec.log)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new ClusterError(
    `${describeReady(spec)} did not happen within ${deadlineMs / 1000} s. Last lines of ${rec.log}:\n${tail(rec.log)}`,
  );
}

export async function up(opts: UpOptions): Promise<ClusterState> {
  const existing = readState(opts.dataDir);
  if (existing?.processes.some((p) => isAlive(p.pid))) {
    throw new ClusterError(
      `a cluster is already running from ${opts.dataDir} (started ${existing.startedAt}, API at ${existing.apiserverUrl}). Use \`k8ts status\` to see it or \`k8ts down\` to stop it.`,
    );
  }
  const etcdBin = findBinary("etcd");
  if (!etcdBin) throw new ClusterError(missingBinaryMessage("etcd"));
  const etcdWarning = checkEtcdVersion(etcdBin);
  if (etcdWarning) opts.progress(`warning: ${etcdWarning}`);

  mkdirSync(opts.dataDir, { recursive: true });
  const logs = logDir(opts.dataDir);
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

  const ports: PlanInput["ports"] = {
    etcdClient: await freePort(),
    etcdPeer: await freePort(),
    apiserver:
      opts.apiserverPort && (await portFree(opts.apiserverPort)) ? opts.apiserverPort : await freePort(),
    scheduler: await freePort(),
    controllers: await freePort(),
    nodeAgents: [],
    runtimes: [],
  };
  for (let i = 0; i < opts.nodes; i++) {
    ports.nodeAgents.push(await freePort());
    ports.runtimes.push(await freePort());
  }
  const podBlock = opts.runtime === "runc" ? podBlockFor(opts.dataDir) : undefined;
  const plan = planCluster({ ...opts, ports, podBlock });
  writeKubeconfig(kubeconfigPath(opts.dataDir), plan.apiserverUrl);

  const state: ClusterState = {
    dataDir: opts.dataDir,
    apiserverUrl: plan.apiserverUrl,
    etcdEndpoint: plan.etcdEndpoint,
    schedulerAddress: plan.schedulerAddress,
    ...(plan.podNetwork ? { podNetwork: plan.podNetwork } : {}),
    mode: opts.combined ? "combined" : "separate",
    startedAt: new Date().toISOString(),
    processes: [],
  };

  try {
    const waves = [...new Set(plan.processes.map((p) => p.wave))].sort((a, b) => a - b);
    for (const wave of waves) {
      const specs = plan.processes.filter((p) => p.wave === wave);
      const started = specs.map((spec) => {
        opts.progress(`starting ${spec.name}`);
        const rec =
          spec.program === "etcd"
            ? spawnLogged(spec.name, etcdBin, spec.args, logs, etcdEnv())
            : spawnComponent(spec.name, spec.args, logs, spec.nodeFlags);
        if (spec.components) {
          rec.components = spec.components.map((c) => ({
            name: c.name,
            args: k8tsCommand(c.args, c.nodeFlags),
            log: c.log,
          }));
        }
        state.processes.push(rec);
        return { spec, rec };
      });
      writeState(state);
      await Promise.all(
        started.map(async ({ spec, rec }) => {
          await waitReady(spec, rec, plan, spec.ready.some((r) => r.kind === "node") ? 60_000 : 30_000);
          opts.progress(`${describeReady(spec)} (${since()})`);
        }),
      );
    }
    writeState(state);
    return state;
  } catch (err) {
    for (const p of [...state.processes].reverse()) await stopProcess(p);
    state.processes = [];
    writeState(state);
    throw err;
  }
}
