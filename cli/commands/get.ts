// `k8ts get`: the definition (flags, help); the action is kubectl/get.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { get } from "../kubectl/get.js";
import { parseOutput } from "../printers/output.js";
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
  "sort-by": { type: "string" },
  "allow-missing-template-keys": { type: "boolean" },
} as const;

export const command: Command = {
  summary: "list objects as tables (or YAML, JSON, names), optionally watching for changes",
  usage: `Usage: k8ts get TYPE[,TYPE...] [NAME...] | TYPE/NAME... [flags]

Examples:
  k8ts get pods                 k8ts get deploy web -o yaml
  k8ts get pods,deploy -A       k8ts get pods -l app=web -w    k8ts get pods,deploy -w -o name
  k8ts get events               (sorted by time)
  k8ts get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}'
  k8ts get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName --sort-by=.spec.nodeName

Flags:
  -o, --output FORMAT                how to print (default: the server's table):
                                     wide, yaml, json, name,
                                     jsonpath=TEMPLATE, jsonpath-file=FILE, jsonpath-as-json=TEMPLATE
                                     (kubectl's JSONPath: {.a.b} {.items[*].x} {.l[0]} {.l[-1:]}
                                     {.l[?(@.x=="y")]} {..x} {range .items[*]}...{end} {"\n"}),
                                     custom-columns=HEADER:PATH,... , custom-columns-file=FILE
                                     (a line of headers, then a line of paths)
      --sort-by PATH                 sort by a JSONPath field (.metadata.name, .spec.replicas,
                                     .metadata.creationTimestamp); numbers, quantities and times in
                                     their order; objects without the field first
      --allow-missing-template-keys=false
                                     a field missing in -o jsonpath is an error (default: prints nothing)
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
    const selections = parseResourceArgs(args);
    return runReporting(async () => {
      const output = parseOutput(flags.output);
      if (typeof output === "object" && flags["output-watch-events"])
        throw new UsageError("--output-watch-events works with -o yaml, json or name, not with a template");
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
          sortBy: flags["sort-by"],
          allowMissingKeys: flags["allow-missing-template-keys"] ?? true,
        },
        stop.signal,
      );
    });
  },
};
