// `k8ts up`: a local cluster on this machine. Starts a real etcd (data in the data dir) and the
// API server, each as its own process with its own log, waits until they answer, writes a
// kubeconfig, and returns, leaving the cluster running. Later components (scheduler, controllers,
// node agents and runtimes) join the same list of processes as they are built.

import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { etcdArgs } from "./etcd-args.js";
import { findBinary, missingBinaryMessage } from "./find-binary.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { spawnComponent, spawnLogged, stopProcess } from "./spawn.js";
import { type ClusterState, isAlive, kubeconfigPath, logDir, readState, writeState } from "./state.js";

export interface UpOptions {
  dataDir: string;
  apiserverPort: number;
  /** Called with a line of progress for the user. */
  progress: (line: string) => void;
}

export class ClusterError extends Error {}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitUntil(
  what: string,
  deadlineMs: number,
  ok: () => Promise<boolean>,
  alive: () => boolean,
  log: string,
) {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (await ok()) return;
    if (!alive())
      throw new ClusterError(`${what} exited during start-up. Last lines of ${log}:\n${tail(log)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new ClusterError(
    `${what} did not become ready within ${deadlineMs / 1000} s. Last lines of ${log}:\n${tail(log)}`,
  );
}

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

export async function up(opts: UpOptions): Promise<ClusterState> {
  const existing = readState(opts.dataDir);
  if (existing?.processes.some((p) => isAlive(p.pid))) {
    throw new ClusterError(
      `a cluster is already running from ${opts.dataDir} (started ${existing.startedAt}, API at ${existing.apiserverUrl}). Use \`k8ts status\` to see it or \`k8ts down\` to stop it.`,
    );
  }
  const etcdBin = findBinary("etcd");
  if (!etcdBin) throw new ClusterError(missingBinaryMessage("etcd"));

  mkdirSync(opts.dataDir, { recursive: true });
  const logs = logDir(opts.dataDir);
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

  const clientPort = await freePort();
  const peerPort = await freePort();
  const etcdEndpoint = `http://127.0.0.1:${clientPort}`;
  const apiPort = (await portFree(opts.apiserverPort)) ? opts.apiserverPort : await freePort();
  const apiserverUrl = `http://127.0.0.1:${apiPort}`;
  const state: ClusterState = {
    dataDir: opts.dataDir,
    apiserverUrl,
    etcdEndpoint,
    startedAt: new Date().toISOString(),
    processes: [],
  };

  try {
    opts.progress(`starting etcd (${etcdBin}) on ${etcdEndpoint}`);
    const etcd = spawnLogged(
      "etcd",
      etcdBin,
      etcdArgs({ name: "k8ts", dataDir: join(opts.dataDir, "etcd"), clientPort, peerPort }),
      logs,
    );
    state.processes.push(etcd);
    writeState(state);
    await waitUntil(
      "etcd",
      20_000,
      () => httpOk(`${etcdEndpoint}/health`),
      () => isAlive(etcd.pid),
      etcd.log,
    );
    opts.progress(`etcd ready (${since()})`);

    opts.progress(`starting the API server on ${apiserverUrl}`);
    const api = spawnComponent(
      "apiserver",
      ["apiserver", "--etcd-servers", etcdEndpoint, "--bind-address", "127.0.0.1", "--port", String(apiPort)],
      logs,
    );
    state.processes.push(api);
    writeState(state);
    await waitUntil(
      "the API server",
      30_000,
      () => httpOk(`${apiserverUrl}/readyz`),
      () => isAlive(api.pid),
      api.log,
    );
    opts.progress(`API server ready (${since()})`);

    writeKubeconfig(kubeconfigPath(opts.dataDir), apiserverUrl);
    writeState(state);
    return state;
  } catch (err) {
    for (const p of [...state.processes].reverse()) await stopProcess(p);
    state.processes = [];
    writeState(state);
    throw err;
  }
}
