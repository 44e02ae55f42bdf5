// `k8ts runtime-shim`: the node's container runtime (CRI RuntimeService + ImageService over gRPC).

import type { BackendName } from "../../runtime-shim/index.js";
import {
  backendNames,
  createBackend,
  defaultBackend,
  startShim,
  teardown,
} from "../../runtime-shim/index.js";
import { type Command, UsageError } from "../command.js";
import { aborted, runAlone, type StartComponent, untilStopped } from "../component.js";
import { parseFlags } from "../flags.js";

const flags = {
  listen: { type: "string", default: "unix:///run/k8ts/runtime.sock" },
  root: { type: "string", default: "/var/lib/k8ts/runtime" },
  backend: { type: "string", default: defaultBackend() },
  "pod-cidr": { type: "string" },
  "cni-bridge": { type: "string" },
  "cni-bin-dir": { type: "string" },
  "metrics-bind-address": { type: "string" },
  teardown: { type: "boolean", default: false },
  "streaming-address": { type: "string" },
} as const;

export const command: Command = {
  summary: "Run the node's container runtime (CRI gRPC over a unix socket)",
  usage: `Usage: k8ts runtime-shim --listen unix:///run/k8ts/<node>/runtime.sock --root <dir> [--backend runc|process]

  --listen   unix socket to serve on (default unix:///run/k8ts/runtime.sock)
  --root     directory for the shim's records, containers and images (default /var/lib/k8ts/runtime)
  --backend  runc (default when runc is installed and running as root) or process
  --pod-cidr     runc: the node's pod CIDR for CNI host-local IPAM (default 10.88.0.0/16)
  --cni-bridge   runc: the node's CNI bridge device (default k8ts0)
  --cni-bin-dir  runc: where the CNI plugins are (default /usr/lib/cni)
  --metrics-bind-address  host:port serving /metrics and /healthz (default: not served)
  --streaming-address  host:port of the exec streaming server (default 127.0.0.1:<free port>)
  --teardown     do not serve: remove every sandbox and container under --root (processes, CNI, mounts,
                 cgroups), then exit`,
  run: (argv) => runAlone("runtime-shim", start, argv),
};

/** Serves until stopped; with --teardown, empties --root and is done at once. */
export const start: StartComponent = async (argv, { log }) => {
  const { values } = parseFlags(argv, flags);
  const backendName = values.backend as BackendName;
  if (!backendNames.includes(backendName))
    throw new UsageError(`--backend must be one of ${backendNames.join(", ")}, got "${values.backend}"`);
  const backend = await createBackend(backendName, {
    root: values.root,
    podCidr: values["pod-cidr"],
    cniBridge: values["cni-bridge"],
    cniBinDir: values["cni-bin-dir"],
  });
  if (values.teardown) {
    const removed = await teardown(values.root, backend);
    log({ msg: "runtime-shim teardown done", root: values.root, ...removed });
    return { done: Promise.resolve(0), stop: () => Promise.resolve(0) };
  }
  const shim = await startShim({
    listen: values.listen,
    root: values.root,
    backend,
    metricsAddress: values["metrics-bind-address"],
    streamingAddress: values["streaming-address"],
  });
  log({
    msg: "runtime-shim serving",
    address: shim.address,
    backend: backend.name,
    root: values.root,
    metricsPort: shim.metricsPort,
  });
  return untilStopped(async (stop) => {
    await aborted(stop);
    log({ msg: "runtime-shim stopping" });
    await shim.close();
    return 0;
  });
};
