// `k8ts cordon`: the definition; the action is kubectl/nodes.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { setUnschedulable } from "../kubectl/nodes.js";
import { parseVerb } from "../verb-flags.js";

export const command: Command = {
  summary: "mark nodes unschedulable: new pods go elsewhere, running ones stay",
  usage: `Usage: k8ts cordon NODE...

Flags:
  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, {});
    if (args.length === 0) throw new UsageError("name the node(s): k8ts cordon NODE...");
    return runReporting(async () => {
      const kube = connect(flags);
      for (const name of args) await setUnschedulable(kube, name, true);
      return 0;
    });
  },
};
