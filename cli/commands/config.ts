// `k8ts config view`: the definition; the action is kubectl/config-view.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { configView } from "../kubectl/config-view.js";
import { parseVerb } from "../verb-flags.js";

export const command: Command = {
  summary: "show the kubeconfig the verbs use (config view)",
  usage: `Usage: k8ts config view [--minify] [--raw]

Reads --kubeconfig, else every file in KUBECONFIG, else ~/.k8ts/kubeconfig, else ~/.kube/config.

Flags:
  --minify   only the current context, its cluster and user
  --raw      show tokens and keys (hidden by default)
  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, { minify: { type: "boolean" }, raw: { type: "boolean" } });
    if (args[0] !== "view" || args.length !== 1) throw new UsageError("k8ts config view [--minify] [--raw]");
    return runReporting(async () =>
      configView({
        kubeconfig: flags.kubeconfig,
        context: flags.context,
        minify: flags.minify ?? false,
        raw: flags.raw ?? false,
      }),
    );
  },
};
