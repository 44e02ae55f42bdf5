// `k8ts scale`: the definition; the action is kubectl/scale.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { scale } from "../kubectl/scale.js";
import { parseResourceArgs } from "../resources.js";
import { DRY_RUN_USAGE, dryRunFlag, parseVerb, wholeNumber } from "../verb-flags.js";

const OPTIONS = {
  replicas: { type: "string" },
  "current-replicas": { type: "string" },
  "dry-run": { type: "string" },
} as const;

export const command: Command = {
  summary: "set the number of replicas of a deployment or replica set",
  usage: `Usage: k8ts scale TYPE NAME... | TYPE/NAME... --replicas=N [flags]

Flags:
      --replicas N            the new number of replicas
      --current-replicas N    only if it has N now (refused otherwise, and on a concurrent change)
${DRY_RUN_USAGE}
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    if (flags.replicas === undefined) throw new UsageError("--replicas=N is required");
    const replicas = wholeNumber("replicas", flags.replicas, 0);
    const current =
      flags["current-replicas"] === undefined
        ? undefined
        : wholeNumber("current-replicas", flags["current-replicas"], 0);
    const dryRun = dryRunFlag(flags["dry-run"]);
    const selections = parseResourceArgs(args);
    if (selections.some((s) => s.names.length === 0))
      throw new UsageError("name the objects to scale: TYPE NAME or TYPE/NAME");
    return runReporting(() => scale(connect(flags), selections, replicas, current, dryRun));
  },
};
