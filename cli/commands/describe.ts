// `k8ts describe`: the definition; the action is kubectl/describe.ts.

import type { Command } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { describe } from "../kubectl/describe.js";
import { parseResourceArgs } from "../resources.js";
import { parseVerb } from "../verb-flags.js";

const OPTIONS = {
  selector: { type: "string", short: "l" },
  "all-namespaces": { type: "boolean", short: "A" },
} as const;

export const command: Command = {
  summary: "show an object in detail, with its recent events",
  usage: `Usage: k8ts describe TYPE [NAME...] | TYPE/NAME [flags]

Pods, deployments and nodes have their own layout (containers and their state, replica sets,
allocated resources); other kinds show their fields. Every object ends with its events.

Flags:
  -l, --selector SELECTOR   describe every object of TYPE with matching labels
  -A, --all-namespaces      look in every namespace
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    const selections = parseResourceArgs(args);
    return runReporting(() =>
      describe(connect(flags), selections, {
        labelSelector: flags.selector,
        allNamespaces: flags["all-namespaces"] ?? false,
      }),
    );
  },
};
