// `k8ts nodeagent`: the node agent (k8ts' kubelet) for one node.

import { memoryBytes, type Taint } from "../../api/index.js";
import { loadKubeconfig, RestClient, resolveClientConfig } from "../../client/index.js";
import { rotationLimitsProblem, startNodeAgent } from "../../nodeagent/index.js";
import { type Command, UsageError } from "../command.js";
import { aborted, runAlone, type StartComponent, untilStopped } from "../component.js";
import { intFlag, parseFlags } from "../flags.js";

const flags = {
  kubeconfig: { type: "string" },
  "node-name": { type: "string" },
  "runtime-endpoint": { type: "string" },
  "root-dir": { type: "string", default: "/var/lib/k8ts/nodeagent" },
  address: { type: "string", default: "127.0.0.1" },
  port: { type: "string", default: "10250" },
  cpu: { type: "string" },
  memory: { type: "string" },
  "max-pods": { type: "string", default: "110" },
  labels: { type: "string", default: "" },
  taints: { type: "string", default: "" },
  "node-lease-duration-seconds": { type: "string", default: "40" },
  "container-log-max-size": { type: "string", default: "10Mi" },
  "container-log-max-files": { type: "string", default: "5" },
} as const;

function parseLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of s.split(",").filter(Boolean)) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--labels: "${kv}" is not key=value`);
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** "key=value:Effect" or "key:Effect", comma-separated, as the kubelet's --register-with-taints. */
function parseTaints(s: string): Taint[] {
  return s
    .split(",")
    .filter(Boolean)
    .map((t) => {
      const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(t);
      if (!m || !EFFECTS.includes(m[3]!))
        throw new UsageError(`--taints: "${t}" is not key[=value]:${EFFECTS.join("|")}`);
      return { key: m[1]!, ...(m[2] !== undefined ? { value: m[2] } : {}), effect: m[3] as Taint["effect"] };
    });
}

export const command: Command = {
  summary: "run the node agent (registers the node, runs its pods through the runtime-shim)",
  usage: `Flags:
  --kubeconfig FILE          how to reach the API server (default: $KUBECONFIG or ~/.kube/config)
  --node-name NAME           this node's name (required)
  --runtime-endpoint URL     the runtime-shim socket, e.g. unix:///run/k8ts/node-1/runtime.sock (required)
  --root-dir DIR             pod logs and volumes (default /var/lib/k8ts/nodeagent)
  --address IP               address to serve logs/exec on, reported as the node's InternalIP (default 127.0.0.1)
  --port N                   port for /healthz, /metrics, logs and exec (default 10250; 0 picks a free one)
  --cpu Q --memory Q         capacity to report (default: the host's), e.g. --cpu 4 --memory 8Gi
  --max-pods N               pods capacity (default 110)
  --labels k=v,...           extra node labels
  --taints k=v:Effect,...    taints to register the node with
  --node-lease-duration-seconds N   the node Lease's duration; renewed every quarter of it (default 40)
  --container-log-max-size Q        a running container's log file is rotated past this size (default 10Mi)
  --container-log-max-files N       log files kept per container, the current one included (default 5, at least 2)`,
  run: (argv) => runAlone("nodeagent", start, argv),
};

export const start: StartComponent = async (argv, { log, say }) => {
  const { values } = parseFlags(argv, flags);
  const nodeName = values["node-name"];
  const runtimeEndpoint = values["runtime-endpoint"];
  if (!nodeName) throw new UsageError("--node-name is required");
  if (!runtimeEndpoint) throw new UsageError("--runtime-endpoint is required");
  const leaseDurationSeconds = intFlag(
    "node-lease-duration-seconds",
    values["node-lease-duration-seconds"],
    40,
  );
  if (leaseDurationSeconds < 1) throw new UsageError("--node-lease-duration-seconds must be at least 1");
  let maxSizeBytes: number;
  try {
    maxSizeBytes = memoryBytes(values["container-log-max-size"]);
  } catch {
    throw new UsageError(
      `--container-log-max-size: "${values["container-log-max-size"]}" is not a quantity such as 10Mi`,
    );
  }
  const maxFiles = intFlag("container-log-max-files", values["container-log-max-files"], 5);
  const problem = rotationLimitsProblem({ maxSizeBytes, maxFiles });
  if (problem) throw new UsageError(`--${problem}`);
  const cfg = resolveClientConfig(loadKubeconfig({ kubeconfig: values.kubeconfig }));
  const agent = await startNodeAgent({
    client: RestClient.fromConfig(cfg, { userAgent: `k8ts-nodeagent/${nodeName}` }),
    nodeName,
    runtimeEndpoint,
    rootDir: values["root-dir"],
    address: values.address,
    port: intFlag("port", values.port, 10250),
    cpu: values.cpu,
    memory: values.memory,
    maxPods: intFlag("max-pods", values["max-pods"], 110),
    labels: parseLabels(values.labels),
    taints: parseTaints(values.taints),
    leaseDurationSeconds,
    containerLogs: { maxSizeBytes, maxFiles },
    log,
  });
  say(`nodeagent ${nodeName} serving on ${values.address}:${agent.port}`);
  return untilStopped(async (stop) => {
    await aborted(stop);
    log({ level: "info", msg: "shutting down; containers keep running" });
    await agent.stop().catch(() => undefined);
    return 0;
  });
};
