// `k8ts get`: the definition (flags, help); the action is kubectl/get.ts.

import type { Command } from "../command.js";
import { UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { type GetOutput, get } from "../kubectl/get.js";
import { parseResourceArgs } from "../resources.js";
import { parseVerb } from "../verb-flags.js";

const OPTIONS = {
  output: { type: "string", short: "o" },
  selector: { type: "string", short: "l" },
  "field-selector": { type: "string" },
  "all-namespaces": { type: "boolean", short: "A" },
  watch: { type: "boolean", short: "w" },
  "watch-only": { type: "boolean" },
  "output-watch-events": { type: "boolean" },
  "show-labels": { type: "boolean" },
  "no-headers": { type: "boolean" },
  "ignore-not-found": { type: "boolean" },
} as const;

const OUTPUTS: readonly GetOutput[] = ["wide", "yaml", "json", "name"];

export const command: Command = {
  summary: "list objects as tables (or YAML, JSON, names), optionally watching for changes",
  usage: `Usage: k8ts get TYPE[,TYPE...] [NAME...] | TYPE/NAME... [flags]

Examples:
  k8ts get pods                 k8ts get deploy web -o yaml
  k8ts get pods,deploy -A       k8ts get pods -l app=web -w    k8ts get pods,deploy -w -o name
  k8ts get events               (sorted by time)

Flags:
  -o, --output wide|yaml|json|name   how to print (default: the server's table)
  -l, --selector SELECTOR            label selector: app=web, tier in (a,b), !canary
      --field-selector SELECTOR      field selector: spec.nodeName=node-1,status.phase=Running
  -A, --all-namespaces               every namespace
  -w, --watch                        after listing, print a row (or object) for every change;
                                     several types at once too (kubectl allows one)
      --watch-only                   print the changes only, not the objects there now
      --output-watch-events          with -w: say ADDED, MODIFIED or DELETED with each change
      --show-labels                  a LABELS column
      --no-headers                   rows only
      --ignore-not-found             a missing named object is not an error
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    const output = (flags.output ?? "table") as GetOutput;
    if (output !== "table" && !OUTPUTS.includes(output)) {
      throw new UsageError(
        `unable to match a printer for --output "${flags.output}" (use ${OUTPUTS.join(", ")})`,
      );
    }
    const selections = parseResourceArgs(args);
    return runReporting(async () => {
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      return get(
        connect(flags),
        {
          selections,
          allNamespaces: flags["all-namespaces"] ?? false,
          labelSelector: flags.selector,
          fieldSelector: flags["field-selector"],
          output,
          watch: (flags.watch ?? false) || (flags["watch-only"] ?? false),
          watchOnly: flags["watch-only"] ?? false,
          outputWatchEvents: flags["output-watch-events"] ?? false,
          showLabels: flags["show-labels"] ?? false,
          noHeaders: flags["no-headers"] ?? false,
          ignoreNotFound: flags["ignore-not-found"] ?? false,
        },
        stop.signal,
      );
    });
  },
};
