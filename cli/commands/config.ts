// `k8ts config view|get-contexts|current-context|use-context`: the definition; the actions are
// kubectl/config-view.ts and kubectl/config-contexts.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { currentContext, getContexts, useContext } from "../kubectl/config-contexts.js";
import { configView } from "../kubectl/config-view.js";
import { parseVerb } from "../verb-flags.js";

const OPTIONS = {
  minify: { type: "boolean" },
  raw: { type: "boolean" },
  output: { type: "string", short: "o" },
  "no-headers": { type: "boolean" },
} as const;

export const command: Command = {
  summary: "show the kubeconfig the verbs use, list and switch its contexts",
  usage: `Usage: k8ts config view [--minify] [--raw]
       k8ts config get-contexts [NAME...] [-o name] [--no-headers]
       k8ts config current-context
       k8ts config use-context NAME

Reads --kubeconfig, else every file in KUBECONFIG, else ~/.k8ts/kubeconfig, else ~/.kube/config.
use-context writes current-context into the file that sets it (else the first file).

Flags:
  --minify   view: only the current context, its cluster and user
  --raw      view: show tokens and keys (hidden by default)
  -o name    get-contexts: names only
  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    const [sub, ...rest] = args;
    const kubeconfig = flags.kubeconfig;
    switch (sub) {
      case "view":
        if (rest.length) break;
        return runReporting(async () =>
          configView({
            kubeconfig,
            context: flags.context,
            minify: flags.minify ?? false,
            raw: flags.raw ?? false,
          }),
        );
      case "get-contexts":
        if (flags.output !== undefined && flags.output !== "name")
          throw new UsageError(`output must be one of '' or 'name': ${flags.output}`);
        return runReporting(async () =>
          getContexts({
            kubeconfig,
            names: rest,
            output: flags.output,
            noHeaders: flags["no-headers"] ?? false,
          }),
        );
      case "current-context":
        if (rest.length) break;
        return runReporting(async () => currentContext({ kubeconfig }));
      case "use-context":
        if (rest.length !== 1) throw new UsageError("Unexpected args: use-context takes one NAME");
        return runReporting(async () => useContext({ kubeconfig, name: rest[0]! }));
    }
    const what = sub ? `"config ${args.join(" ")}" is not supported` : "config needs a subcommand";
    throw new UsageError(
      `${what}: k8ts offers config view, get-contexts, current-context and use-context; use kubectl for the others`,
    );
  },
};
