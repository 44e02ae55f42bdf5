// cordon and uncordon differ in one word and one boolean: one definition serves both verbs.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { parseVerb } from "../verb-flags.js";
import { setUnschedulable } from "./nodes.js";

export function cordonCommand(unschedulable: boolean): Command {
  const verb = unschedulable ? "cordon" : "uncordon";
  return {
    summary: unschedulable
      ? "mark nodes unschedulable: new pods go elsewhere, running ones stay"
      : "mark nodes schedulable again",
    usage: `Usage: k8ts ${verb} NODE...

Flags:
  --context CTX  --kubeconfig FILE`,
    run(argv) {
      const { flags, args } = parseVerb(argv, {});
      if (args.length === 0) throw new UsageError(`name the node(s): k8ts ${verb} NODE...`);
      return runReporting(async () => {
        const kube = connect(flags);
        for (const name of args) await setUnschedulable(kube, name, unschedulable);
        return 0;
      });
    },
  };
}
