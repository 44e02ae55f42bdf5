// `k8ts up`: a local cluster with one command.

import { ClusterError, kubeconfigPath, resolveDataDir, up } from "../cluster/index.js";
import type { Command } from "../command.js";
import { intFlag, parseFlags } from "../flags.js";

const flags = {
  "data-dir": { type: "string" },
  "apiserver-port": { type: "string", default: "6443" },
} as const;

export const command: Command = {
  summary: "start a local cluster (etcd and the API server) and write its kubeconfig",
  usage: `Flags:
  --data-dir DIR         where the cluster keeps etcd data, logs and its kubeconfig (default ~/.k8ts)
  --apiserver-port N     API server port (default 6443; a free port is chosen if it is taken)`,
  async run(argv) {
    const { values } = parseFlags(argv, flags);
    const dataDir = resolveDataDir(values["data-dir"]);
    const t0 = Date.now();
    try {
      const state = await up({
        dataDir,
        apiserverPort: intFlag("apiserver-port", values["apiserver-port"], 6443),
        progress: (line) => process.stdout.write(`  ${line}\n`),
      });
      const kc = kubeconfigPath(dataDir);
      process.stdout.write(
        `\nk8ts cluster is up in ${((Date.now() - t0) / 1000).toFixed(1)} s\n` +
          `  API server   ${state.apiserverUrl}\n` +
          `  kubeconfig   ${kc}\n` +
          `  logs         ${dataDir}/logs/\n\n` +
          `Try:\n  export KUBECONFIG=${kc}\n  kubectl get namespaces\n  kubectl apply -f examples/web.yaml\n\n` +
          `Stop it with: k8ts down${values["data-dir"] ? ` --data-dir ${dataDir}` : ""}\n`,
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
