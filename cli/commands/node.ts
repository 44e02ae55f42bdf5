// `k8ts node kill|restart NODE`: fail a node of the local cluster, or bring it back.

import { ClusterError, killNode, resolveDataDir, restartNode } from "../cluster/index.js";
import { type Command, UsageError } from "../command.js";
import { parseFlags } from "../flags.js";

export const command: Command = {
  summary: "kill or restart a node of the local cluster (to watch self-healing)",
  usage: `Usage: k8ts node kill|restart NODE [--data-dir DIR]

  kill      the node agent dies at once and the node's containers with it; its Lease goes stale,
            the node becomes NotReady, and after the eviction timeout its pods are replaced elsewhere
  restart   starts the node's runtime and agent again with the same flags and waits until it is Ready

Flags:
  --data-dir DIR   the cluster's data dir (default ~/.k8ts)`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { "data-dir": { type: "string" } } as const, true);
    const [action, node] = positionals;
    if ((action !== "kill" && action !== "restart") || !node || positionals.length !== 2) {
      throw new UsageError("usage: k8ts node kill|restart NODE");
    }
    const dataDir = resolveDataDir(values["data-dir"]);
    const say = (l: string) => process.stdout.write(`  ${l}\n`);
    try {
      if (action === "kill") await killNode(dataDir, node, say);
      else await restartNode(dataDir, node, say);
      return 0;
    } catch (err) {
      if (err instanceof ClusterError) {
        process.stderr.write(`k8ts node ${action}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
