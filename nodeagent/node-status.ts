// The node's own object: registration (create, or adopt an existing Node of the same name) and the
// status the agent keeps reporting, after the kubelet's registerWithAPIServer and node status loop.
// Capacity defaults to the host's, and flags override it, so a lab can present a "4-CPU node" on a
// 2-core machine. Status is recomputed every update period and written only when it changed or when
// the report period passed (Kubernetes: 10 s and 1 min); liveness of the node itself is the Lease's job.

import { cpus, freemem, hostname, release, totalmem, type } from "node:os";
import type { Condition, Node, NodeStatus, Taint } from "../api/index.js";
import { RESOURCES } from "../api/index.js";
import { type Clock, isAlreadyExists, isConflict, type RestClient } from "../client/index.js";
import { every, type Periodic } from "./periodic.js";

export const NODES = RESOURCES.find((r) => r.kind === "Node")!;

export interface NodeIdentity {
  nodeName: string;
  /** The IP the agent serves on (InternalIP). */
  address: string;
  /** The agent's HTTP port (daemonEndpoints.kubeletEndpoint.Port). */
  port: number;
  /** Quantities as strings ("2", "4Gi"); host values when omitted. */
  cpu?: string;
  memory?: string;
  maxPods: number;
  labels: Record<string, string>;
  taints: Taint[];
}

export interface RuntimeHealth {
  ok: boolean;
  message: string;
  version: string;
}

const rfc3339 = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export function hostCapacity(): { cpu: string; memory: string } {
  return { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki` };
}

export function nodeLabels(id: NodeIdentity): Record<string, string> {
  return {
    "kubernetes.io/hostname": id.nodeName,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": process.arch === "x64" ? "amd64" : process.arch,
    ...id.labels,
  };
}

/** The Node to register: labels, taints and an initial status. */
export function nodeToRegister(id: NodeIdentity, health: RuntimeHealth, now: number): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: id.nodeName, labels: nodeLabels(id) },
    spec: id.taints.length ? { taints: id.taints } : {},
    status: nodeStatus(id, health, now, undefined),
  };
}

/**
 * The status to report. Condition transition times carry over from `previous` when the status of a
 * condition did not change; heartbeat times are always `now`.
 */
export function nodeStatus(
  id: NodeIdentity,
  health: RuntimeHealth,
  now: number,
  previous?: NodeStatus,
): NodeStatus {
  const host = hostCapacity();
  const capacity = { cpu: id.cpu ?? host.cpu, memory: id.memory ?? host.memory, pods: String(id.maxPods) };
  const memoryPressure = freemem() < 64 * 1024 * 1024;
  const conds: Condition[] = [
    {
      type: "MemoryPressure",
      status: memoryPressure ? "True" : "False",
      reason: memoryPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
      message: memoryPressure
        ? "node agent has insufficient memory available"
        : "node agent has sufficient memory available",
    },
    {
      type: "DiskPressure",
      status: "False",
      reason: "KubeletHasNoDiskPressure",
      message: "node agent has no disk pressure",
    },
    {
      type: "PIDPressure",
      status: "False",
      reason: "KubeletHasSufficientPID",
      message: "node agent has sufficient PID available",
    },
    health.ok
      ? {
          type: "Ready",
          status: "True",
          reason: "KubeletReady",
          message: "node agent is posting ready status",
        }
      : {
          type: "Ready",
          status: "False",
          reason: "KubeletNotReady",
          message: `container runtime is down: ${health.message}`,
        },
  ];
  const conditions = conds.map((c) => {
    const prev = previous?.conditions?.find((p) => p.type === c.type);
    const transition =
      prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now);
    return { ...c, lastHeartbeatTime: rfc3339(now), lastTransitionTime: transition };
  });
  return {
    capacity,
    allocatable: { ...capacity },
    conditions,
    addresses: [
      { type: "InternalIP", address: id.address },
      { type: "Hostname", address: id.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.port } },
    nodeInfo: {
      machineID: "",
      systemUUID: "",
      bootID: "",
      kernelVersion: release(),
      osImage: `${type()} (${hostname()})`,
      containerRuntimeVersion: health.version,
      kubeletVersion: "v1.32.0-k8ts",
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: process.arch === "x64" ? "amd64" : process.arch,
    },
  };
}

/** Status without heartbeat times: what decides whether a write is needed. */
function comparable(s: NodeStatus | undefined): string {
  return JSON.stringify({ ...s, conditions: s?.conditions?.map(({ lastHeartbeatTime: _, ...c }) => c) });
}

export interface NodeStatusReporterOptions {
  client: RestClient;
  identity: NodeIdentity;
  clock: Clock;
  health: () => Promise<RuntimeHealth>;
  /** How often status is recomputed (Kubernetes: 10 s). */
  updateMs?: number;
  /** Status is written at least this often even when unchanged (Kubernetes: 1 min). */
  reportMs?: number;
  log: (line: Record<string, unknown>) => void;
}

export class NodeStatusReporter {
  private last: NodeStatus | undefined;
  private lastWrite = 0;
  private loop: Periodic | undefined;
  node: Node | undefined;

  constructor(private readonly opts: NodeStatusReporterOptions) {}

  /** Creates the Node, or takes over the existing one (labels merged, taints kept as an admin set them). */
  async register(): Promise<Node> {
    const { client, identity, clock } = this.opts;
    const health = await this.opts.health();
    const want = nodeToRegister(identity, health, clock.now());
    let node: Node;
    try {
      node = await client.create<Node>(NODES, want);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await client.get<Node>(NODES, identity.nodeName);
      existing.metadata.labels = { ...existing.metadata.labels, ...want.metadata.labels };
      node = await client.update<Node>(NODES, existing);
    }
    node = await client.updateStatus<Node>(NODES, { ...node, status: want.status });
    this.last = node.status;
    this.lastWrite = clock.now();
    this.node = node;
    return node;
  }

  start(): void {
    const { clock, log } = this.opts;
    this.loop = every(
      clock,
      this.opts.updateMs ?? 10_000,
      () => this.sync(),
      (err) => log({ level: "error", msg: "node status update failed", err: String(err) }),
    );
  }

  stop(): void {
    this.loop?.stop();
  }

  /** One round: recompute, and write if changed or due. */
  async sync(): Promise<boolean> {
    const { client, identity, clock } = this.opts;
    const now = clock.now();
    const status = nodeStatus(identity, await this.opts.health(), now, this.last);
    if (comparable(status) === comparable(this.last) && now - this.lastWrite < (this.opts.reportMs ?? 60_000))
      return false;
    for (let attempt = 0; ; attempt++) {
      const current = await client.get<Node>(NODES, identity.nodeName);
      try {
        this.node = await client.updateStatus<Node>(NODES, { ...current, status });
        break;
      } catch (err) {
        if (!isConflict(err) || attempt >= 3) throw err;
      }
    }
    this.last = status;
    this.lastWrite = now;
    return true;
  }
}
