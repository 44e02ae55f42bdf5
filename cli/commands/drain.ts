// `k8ts drain`: the definition; the action is kubectl/nodes.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { drain } from "../kubectl/nodes.js";
import { durationMs, parseVerb, wholeNumber } from "../verb-flags.js";

const OPTIONS = {
  force: { type: "boolean" },
  "ignore-daemonsets": { type: "boolean" },
  "delete-emptydir-data": { type: "boolean" },
  timeout: { type: "string" },
  "grace-period": { type: "string" },
} as const;

export const command: Command = {
  summary: "cordon a node and evict its pods, waiting until they are gone",
  usage: `Usage: k8ts drain NODE [flags]

Evicts through the eviction API (disruption budgets are honoured; refused evictions are retried).
Mirror pods are skipped. Refuses, before evicting anything, pods that would be lost for good
unless a flag says that is fine.

Flags:
      --force                  also evict pods no controller will recreate
      --ignore-daemonsets      leave DaemonSet-managed pods in place
      --delete-emptydir-data   also evict pods with emptyDir volumes (their data is lost)
      --grace-period SECONDS   time for each pod to stop (default: the pod's own)
      --timeout DURATION       give up after this long (default: no limit)
  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    if (args.length !== 1) throw new UsageError("name one node: k8ts drain NODE");
    const grace = flags["grace-period"];
    return runReporting(() =>
      drain(connect(flags), args[0]!, {
        force: flags.force ?? false,
        ignoreDaemonsets: flags["ignore-daemonsets"] ?? false,
        deleteEmptydirData: flags["delete-emptydir-data"] ?? false,
        timeoutMs: durationMs("timeout", flags.timeout, 0),
        gracePeriodSeconds:
          grace === undefined || grace === "-1" ? undefined : wholeNumber("grace-period", grace, 0),
      }),
    );
  },
};
