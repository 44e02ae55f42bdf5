// `k8ts top`: the definition; the action is kubectl/top.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { topNodes } from "../kubectl/top.js";
import { parseVerb } from "../verb-flags.js";

export const command: Command = {
  summary: "show how much of each node the pods on it have requested, as bars",
  usage: `Usage: k8ts top nodes [NODE...] [-l SELECTOR]

For each node: the CPU and memory requested by its non-terminated pods against its allocatable
resources (what the scheduler fills when it bin-packs), and its pod count.

Flags:
  -l, --selector SELECTOR   only nodes with matching labels
  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, { selector: { type: "string", short: "l" } });
    const [what, ...names] = args;
    if (!["nodes", "node", "no"].includes(what ?? "")) {
      // No metrics pipeline: what there is to show is the nodes' requested share of allocatable.
      throw new UsageError(
        `top shows nodes only (requests against allocatable, there is no metrics server): k8ts top nodes [NODE...]`,
      );
    }
    return runReporting(() => topNodes(connect(flags), names, flags.selector));
  },
};
