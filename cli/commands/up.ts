// `k8ts up`: a local cluster with one command.

import { existsSync } from "node:fs";
import {
  ClusterError,
  findBinary,
  gracePeriodProblem,
  kubeconfigPath,
  resolveDataDir,
  up,
} from "../cluster/index.js";
import { type Command, UsageError } from "../command.js";
import { durationFlag } from "../component-flags.js";
import { intFlag, parseFlags } from "../flags.js";

const flags = {
  "data-dir": { type: "string" },
  "apiserver-port": { type: "string", default: "6443" },
  nodes: { type: "string", default: "3" },
  "node-cpu": { type: "string", default: "2" },
  "node-memory": { type: "string", default: "4Gi" },
  runtime: { type: "string" },
  "node-monitor-grace-period": { type: "string" },
  "pod-eviction-timeout": { type: "string" },
  combined: { type: "boolean", default: false },
} as const;

function defaultRuntime(): "runc" | "process" {
  return process.getuid?.() === 0 && findBinary("runc") && existsSync("/bin/busybox") ? "runc" : "process";
}

export const command: Command = {
  summary: "start a local cluster (etcd, API server, scheduler, ...) and write its kubeconfig",
  usage: `Flags:
  --data-dir DIR         where the cluster keeps etcd data, logs and its kubeconfig (default ~/.k8ts)
  --apiserver-port N     API server port (default 6443; a free port is chosen if it is taken)
  --nodes N              number of nodes (default 3)
  --node-cpu CPU         CPU each node offers (default 2; may exceed the machine's, for labs)
  --node-memory MEM      memory each node offers (default 4Gi)
  --runtime R            runc (default as root with runc installed) or process
  --node-monitor-grace-period D   silence before a node is marked NotReady (default 40s; e.g. 10s for a lab;
                                  at least 4s). The node agents renew their Lease every quarter of it (at most 10s)
  --pod-eviction-timeout N        seconds pods stay on an unreachable node before they are evicted (default 300)
  --combined             fewer processes, less memory: the API server, scheduler and controllers in one
                         process (k8ts control-plane), each node's runtime-shim and node agent in one
                         (k8ts worker); a crash then takes all of that process's components down together`,
  async run(argv) {
    const { values } = parseFlags(argv, flags);
    const dataDir = resolveDataDir(values["data-dir"]);
    const runtime = (values.runtime ?? defaultRuntime()) as "runc" | "process";
    if (runtime !== "runc" && runtime !== "process")
      throw new UsageError(`--runtime must be runc or process, got "${runtime}"`);
    const grace = values["node-monitor-grace-period"];
    const nodeMonitorGracePeriodMs =
      grace === undefined ? undefined : durationFlag("node-monitor-grace-period", grace);
    const problem =
      nodeMonitorGracePeriodMs === undefined ? undefined : gracePeriodProblem(nodeMonitorGracePeriodMs);
    if (problem) throw new UsageError(problem);
    const t0 = Date.now();
    try {
      const state = await up({
        dataDir,
        apiserverPort: intFlag("apiserver-port", values["apiserver-port"], 6443),
        nodes: intFlag("nodes", values.nodes, 3),
        nodeCpu: values["node-cpu"],
        nodeMemory: values["node-memory"],
        runtime,
        combined: values.combined,
        nodeMonitorGracePeriodMs,
        unreachableTolerationSeconds:
          values["pod-eviction-timeout"] === undefined
            ? undefined
            : intFlag("pod-eviction-timeout", values["pod-eviction-timeout"], 300),
        progress: (line) => process.stdout.write(`  ${line}\n`),
      });
      const kc = kubeconfigPath(dataDir);
      const dd = values["data-dir"] ? ` --data-dir ${dataDir}` : "";
      process.stdout.write(
        `\nk8ts cluster is up in ${((Date.now() - t0) / 1000).toFixed(1)} s\n` +
          `  API server   ${state.apiserverUrl}\n` +
          `  kubeconfig   ${kc}\n` +
          `  logs         ${dataDir}/logs/\n\n` +
          `Try:\n  export KUBECONFIG=${kc}\n  kubectl get nodes\n  kubectl apply -f examples/web.yaml\n  kubectl get pods -o wide\n\n` +
          `See the processes with: k8ts status${dd}\nStop it with: k8ts down${dd}\n`,
      );
      return 0;
    } catch (err) {
      if (err instanceof ClusterError) {
        process.stderr.write(`k8ts up: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
