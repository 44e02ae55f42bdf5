// A real node for tests: a runtime-shim (runc or process) and a node agent in this process, on a
// scaled clock (CrashLoopBackOff, probes, heartbeats in fractions of their Kubernetes durations), with
// a kubeconfig for the real kubectl. restartAgent() stops the agent without touching the runtime,
// as a crashed kubelet leaves its containers, and starts a fresh one. stop() stops everything it started.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RestClient } from "../client/index.js";
import {
  type CrashLoopBackoff,
  type NodeAgent,
  type NodeAgentOptions,
  startNodeAgent,
} from "../nodeagent/index.js";
import { startTestApiServer, type TestCluster } from "./apiserver.js";
import { startRuntimeShim, type TestRuntimeShim } from "./runtime-shim.js";

export interface TestNode {
  nodeName: string;
  shim: TestRuntimeShim;
  agent: NodeAgent;
  client: RestClient;
  kubeconfig: string;
  /** The agent's --root-dir (pod logs and volumes). */
  rootDir: string;
  backoff: CrashLoopBackoff;
  /** Stops the in-process agent; the runtime and its containers stay. */
  stopAgent(): Promise<void>;
  /** Starts a fresh in-process agent (after stopAgent, or after another agent for this node was killed). */
  startAgent(): Promise<void>;
  restartAgent(): Promise<void>;
  stop(): Promise<void>;
}

/** Kubernetes' durations divided by 20: backoff 0.5 s doubling to 4 s here (the cap is lowered further to keep tests short). */
export const SCALED_BACKOFF: CrashLoopBackoff = { initialMs: 500, maxMs: 4000, resetAfterMs: 30_000 };

export async function startTestNode(opts: {
  apiserverUrl: string;
  backend?: "runc" | "process";
  nodeName?: string;
  agent?: Partial<NodeAgentOptions>;
}): Promise<TestNode> {
  const nodeName = opts.nodeName ?? "node-1";
  const shim = await startRuntimeShim({ backend: opts.backend ?? "runc" });
  const dir = mkdtempSync(join(tmpdir(), "k8ts-node-"));
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "t", cluster: { server: opts.apiserverUrl } }],
      users: [{ name: "t", user: {} }],
      contexts: [{ name: "t", context: { cluster: "t", user: "t", namespace: "default" } }],
      "current-context": "t",
    }),
  );
  const client = new RestClient({ server: opts.apiserverUrl, userAgent: "k8ts-test" });
  const agentOptions: NodeAgentOptions = {
    client: new RestClient({ server: opts.apiserverUrl, userAgent: `nodeagent/${nodeName}` }),
    nodeName,
    runtimeEndpoint: shim.address,
    rootDir: join(dir, "agent"),
    port: 0,
    crashLoopBackoff: SCALED_BACKOFF,
    probeSecondMs: 250,
    plegPeriodMs: 250,
    resyncMs: 2000,
    nodeStatusUpdateMs: 1000,
    leaseRenewMs: 1000,
    ...opts.agent,
  };
  let agent: NodeAgent;
  try {
    agent = await startNodeAgent(agentOptions);
  } catch (err) {
    await shim.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let agentRunning = true;
  const node: TestNode = {
    nodeName,
    shim,
    agent,
    client,
    kubeconfig,
    rootDir: agentOptions.rootDir,
    backoff: agentOptions.crashLoopBackoff!,
    async stopAgent() {
      if (agentRunning) await node.agent.stop();
      agentRunning = false;
    },
    async startAgent() {
      node.agent = await startNodeAgent(agentOptions);
      agentRunning = true;
    },
    async restartAgent() {
      await node.stopAgent();
      await node.startAgent();
    },
    async stop() {
      try {
        await node.stopAgent();
      } finally {
        await shim.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return node;
}

/** An in-process API server on its own etcd with one node (startTestNode) on it; stop() stops the node, then the server. */
export async function startTestClusterWithNode(
  opts: Omit<Parameters<typeof startTestNode>[0], "apiserverUrl"> = {},
): Promise<{ cluster: TestCluster; node: TestNode; stop(): Promise<void> }> {
  const cluster = await startTestApiServer();
  let node: TestNode;
  try {
    node = await startTestNode({ ...opts, apiserverUrl: cluster.url });
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return {
    cluster,
    node,
    async stop() {
      try {
        await node.stop();
      } finally {
        await cluster.stop();
      }
    },
  };
}
