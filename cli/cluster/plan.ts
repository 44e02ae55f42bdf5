// What a local cluster is made of: the processes `k8ts up` starts, in order, with their flags and
// how to tell each is ready. Pure: ports and paths come in, the plan comes out (table-tested);
// up.ts carries it out. With `combined`, the same components are folded into fewer processes:
// one control-plane process (`k8ts control-plane`) and one per node (`k8ts worker`), each component
// still with the flags, ports and log file it has when it runs alone.

import { join } from "node:path";
import { etcdArgs } from "./etcd-args.js";
import { nodeFlags, sharedNodeFlags } from "./node-flags.js";
import { nodeLeaseDurationSeconds } from "./node-lease-timing.js";
import { podNetwork } from "./pod-network.js";

export type Readiness =
  | { kind: "http"; url: string }
  /** The Node object exists and its Ready condition is True. */
  | { kind: "node"; name: string };

export interface ProcessSpec {
  name: string;
  /** "etcd" is the system binary; "k8ts" runs a k8ts verb. */
  program: "etcd" | "k8ts";
  args: string[];
  /** For a k8ts verb: the Node.js/V8 flags it runs with (node-flags.ts). */
  nodeFlags?: readonly string[];
  /** Every check must pass, in order, before the process counts as started. */
  ready: Readiness[];
  /** Processes of one wave start together and are waited for together. */
  wave: number;
  node?: string;
  /**
   * A combined process: the components it hosts, each as it would run alone (its verb's args,
   * its Node.js flags) and the log file it writes in the process.
   */
  components?: HostedSpec[];
}

export interface HostedSpec {
  name: string;
  args: string[];
  nodeFlags: readonly string[];
  log: string;
}

export interface PlanInput {
  dataDir: string;
  nodes: number;
  nodeCpu: string;
  nodeMemory: string;
  runtime: "runc" | "process";
  /** runc: the second octet of the cluster's pod block 10.<b>.0.0/16 (pod-network.ts; default 88). */
  podBlock?: number;
  /**
   * Lab timing for the node lifecycle controller (Kubernetes' flag names; defaults 40 s and 300).
   * The node agents' lease follows the grace period (node-lease-timing.ts).
   */
  nodeMonitorGracePeriodMs?: number;
  unreachableTolerationSeconds?: number;
  /** One process for the control plane and one per node instead of one per component. */
  combined?: boolean;
  ports: {
    etcdClient: number;
    etcdPeer: number;
    apiserver: number;
    scheduler: number;
    controllers: number;
    /** One per node. */
    nodeAgents: number[];
    /** One per node: each runtime-shim's /healthz and /metrics. */
    runtimes: number[];
  };
}

export interface ClusterPlan {
  etcdEndpoint: string;
  apiserverUrl: string;
  schedulerAddress: string;
  nodeNames: string[];
  /** runc: the block the nodes' pod CIDRs come from, e.g. "10.88.0.0/16". */
  podNetwork?: string;
  processes: ProcessSpec[];
}

export function nodeName(i: number): string {
  return `node-${i + 1}`;
}

export function planCluster(p: PlanInput): ClusterPlan {
  const plan = planComponents(p);
  return p.combined ? { ...plan, processes: combine(plan.processes, join(p.dataDir, "logs")) } : plan;
}

/** One process per component. */
function planComponents(p: PlanInput): ClusterPlan {
  const etcdEndpoint = `http://127.0.0.1:${p.ports.etcdClient}`;
  const apiserverUrl = `http://127.0.0.1:${p.ports.apiserver}`;
  const kubeconfig = join(p.dataDir, "kubeconfig");
  const schedulerAddress = `127.0.0.1:${p.ports.scheduler}`;
  const processes: ProcessSpec[] = [
    {
      name: "etcd",
      program: "etcd",
      args: etcdArgs({
        name: "k8ts",
        dataDir: join(p.dataDir, "etcd"),
        clientPort: p.ports.etcdClient,
        peerPort: p.ports.etcdPeer,
        // etcd 3.6's default and kubeadm's value: node leases and status alone write every few
        // seconds, and with 3.4's 100000 the in-memory raft log grows for days before a snapshot.
        snapshotCount: 10_000,
      }),
      ready: [{ kind: "http", url: `${etcdEndpoint}/health` }],
      wave: 0,
    },
    {
      name: "apiserver",
      program: "k8ts",
      nodeFlags: nodeFlags("apiserver"),
      args: [
        "apiserver",
        "--etcd-servers",
        etcdEndpoint,
        "--bind-address",
        "127.0.0.1",
        "--port",
        String(p.ports.apiserver),
      ],
      ready: [{ kind: "http", url: `${apiserverUrl}/readyz` }],
      wave: 1,
    },
    {
      name: "scheduler",
      program: "k8ts",
      nodeFlags: nodeFlags("scheduler"),
      args: ["scheduler", "--kubeconfig", kubeconfig, "--metrics-bind-address", schedulerAddress],
      ready: [{ kind: "http", url: `http://${schedulerAddress}/healthz` }],
      wave: 2,
    },
  ];
  processes.push({
    name: "controllers",
    program: "k8ts",
    nodeFlags: nodeFlags("controllers"),
    args: [
      "controllers",
      "--kubeconfig",
      kubeconfig,
      "--metrics-bind-address",
      `127.0.0.1:${p.ports.controllers}`,
      ...(p.nodeMonitorGracePeriodMs !== undefined
        ? ["--node-monitor-grace-period", `${p.nodeMonitorGracePeriodMs}ms`]
        : []),
      ...(p.unreachableTolerationSeconds !== undefined
        ? [
            "--default-unreachable-toleration-seconds",
            String(p.unreachableTolerationSeconds),
            "--default-not-ready-toleration-seconds",
            String(p.unreachableTolerationSeconds),
          ]
        : []),
    ],
    ready: [{ kind: "http", url: `http://127.0.0.1:${p.ports.controllers}/healthz` }],
    wave: 2,
  });

  const nodeNames: string[] = [];
  const tag = shortHash(p.dataDir);
  const pods = podNetwork(p.podBlock ?? 88);
  for (let i = 0; i < p.nodes; i++) {
    const name = nodeName(i);
    nodeNames.push(name);
    const dir = join(p.dataDir, "nodes", name);
    const socket = `unix://${join(dir, "runtime.sock")}`;
    const runtimeArgs = [
      "runtime-shim",
      "--listen",
      socket,
      "--root",
      join(dir, "runtime"),
      "--backend",
      p.runtime,
    ];
    if (p.runtime === "runc") {
      // Each node gets its own bridge and /24, so pods on different nodes never share an address.
      runtimeArgs.push("--pod-cidr", pods.nodeCidr(i), "--cni-bridge", `k8ts${tag}n${i + 1}`);
    }
    runtimeArgs.push("--metrics-bind-address", `127.0.0.1:${p.ports.runtimes[i]}`);
    processes.push({
      name: `runtime-${name}`,
      program: "k8ts",
      nodeFlags: nodeFlags("runtime-shim"),
      args: runtimeArgs,
      ready: [{ kind: "http", url: `http://127.0.0.1:${p.ports.runtimes[i]}/healthz` }],
      wave: 2,
      node: name,
    });
    processes.push({
      name: `nodeagent-${name}`,
      program: "k8ts",
      nodeFlags: nodeFlags("nodeagent"),
      args: [
        "nodeagent",
        "--kubeconfig",
        kubeconfig,
        "--node-name",
        name,
        "--runtime-endpoint",
        socket,
        "--root-dir",
        join(dir, "agent"),
        "--port",
        String(p.ports.nodeAgents[i]),
        "--cpu",
        p.nodeCpu,
        "--memory",
        p.nodeMemory,
        "--node-lease-duration-seconds",
        String(nodeLeaseDurationSeconds(p.nodeMonitorGracePeriodMs)),
      ],
      ready: [{ kind: "node", name }],
      wave: 3,
      node: name,
    });
  }
  return {
    etcdEndpoint,
    apiserverUrl,
    schedulerAddress,
    nodeNames,
    ...(p.runtime === "runc" ? { podNetwork: pods.block } : {}),
    processes,
  };
}

/**
 * Folds the components into one control-plane process (wave 1, after etcd) and one worker per node
 * (wave 2). Each hosted component gets its flags back through `--<verb>-arg key=value` and logs to
 * the file it would log to alone, so `logs/nodeagent-node-1.log` means the same in both modes.
 */
function combine(separate: ProcessSpec[], logs: string): ProcessSpec[] {
  const controlPlane = separate.filter((s) => ["apiserver", "scheduler", "controllers"].includes(s.name));
  const nodes = [...new Set(separate.flatMap((s) => (s.node ? [s.node] : [])))];
  return [
    ...separate.filter((s) => s.program === "etcd"),
    host("control-plane", "control-plane", controlPlane, logs, 1),
    ...nodes.map((n) =>
      host(
        `worker-${n}`,
        "worker",
        separate.filter((s) => s.node === n),
        logs,
        2,
        n,
      ),
    ),
  ];
}

function host(
  name: string,
  verb: string,
  parts: ProcessSpec[],
  logs: string,
  wave: number,
  node?: string,
): ProcessSpec {
  const components = parts.map((s) => ({
    name: s.name,
    args: s.args,
    nodeFlags: s.nodeFlags ?? [],
    log: join(logs, `${s.name}.log`),
  }));
  const args = [verb];
  for (const c of components) {
    const [component, ...flags] = c.args;
    for (const kv of keyValues(flags)) args.push(`--${component}-arg`, kv);
    args.push(`--${component}-log`, c.log);
  }
  return {
    name,
    program: "k8ts",
    args,
    nodeFlags: sharedNodeFlags(components.map((c) => c.nodeFlags)),
    ready: parts.flatMap((s) => s.ready),
    wave,
    ...(node ? { node } : {}),
    components,
  };
}

/** ["--port", "6443", "--leader-elect", "--x=y"] → ["port=6443", "leader-elect", "x=y"]. */
export function keyValues(flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!.replace(/^--/, "");
    const value = flags[i + 1];
    if (flag.includes("=") || value === undefined || value.startsWith("--")) out.push(flag);
    else {
      out.push(`${flag}=${value}`);
      i++;
    }
  }
  return out;
}

/** Four hex characters from the data dir: keeps two clusters' bridge names apart. */
function shortHash(s: string): string {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return (h & 0xffff).toString(16).padStart(4, "0");
}
