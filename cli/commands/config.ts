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
    if (args[0] !== "view" || args.length !== 1) {
      const what = args[0] ? `"config ${args[0]}" is not supported` : "config needs a subcommand";
      throw new UsageError(
        `${what}: k8ts offers \`k8ts config view [--minify] [--raw]\`; use kubectl for the other config subcommands`,
      );
    }
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
