// `k8ts api-resources`: the definition; the action is kubectl/api-resources.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { apiResources } from "../kubectl/api-resources.js";
import { parseVerb } from "../verb-flags.js";

const OPTIONS = { namespaced: { type: "boolean" }, output: { type: "string", short: "o" } } as const;

export const command: Command = {
  summary: "list the resource types the API server serves, with their short names",
  usage: `Usage: k8ts api-resources [flags]

Flags:
      --namespaced=true|false   only namespaced (or only cluster-wide) types
  -o, --output name             only the names
  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    if (args.length > 0) throw new UsageError("api-resources takes no arguments");
    if (flags.output !== undefined && flags.output !== "name") throw new UsageError("--output must be name");
    const namespaced = argv.some((a) => a.startsWith("--namespaced"))
      ? (flags.namespaced ?? false)
      : undefined;
    return runReporting(() =>
      apiResources(connect(flags), { namespaced, output: flags.output as "name" | undefined }),
    );
  },
};
