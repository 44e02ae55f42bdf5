// `k8ts logs`: the definition; the action is kubectl/logs.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { logs } from "../kubectl/logs.js";
import { durationMs, parseVerb, wholeNumber } from "../verb-flags.js";

const OPTIONS = {
  container: { type: "string", short: "c" },
  follow: { type: "boolean", short: "f" },
  previous: { type: "boolean", short: "p" },
  tail: { type: "string" },
  timestamps: { type: "boolean" },
  since: { type: "string" },
  "all-containers": { type: "boolean" },
  selector: { type: "string", short: "l" },
  prefix: { type: "boolean" },
  "max-log-requests": { type: "string" },
} as const;

export const command: Command = {
  summary: "print containers' logs (-f to keep following them)",
  usage: `Usage: k8ts logs POD | TYPE/NAME | -l SELECTOR [flags]

Flags:
  -c, --container NAME   which container (default: the pod's default container, else the first)
  -f, --follow           keep printing as the container writes
  -p, --previous         the log of the previous instance (after a restart)
      --tail N           only the last N lines (-1: all)
      --timestamps       prefix each line with its RFC3339 timestamp
      --since DURATION   only lines newer than this (5s, 2m, 1h)
      --all-containers   every container of the pod (init containers first)
  -l, --selector SEL     every pod with matching labels (--tail defaults to 10 then)
      --prefix           begin each line with [pod/NAME/CONTAINER]
      --max-log-requests N   with -f, how many logs may be followed at once (default 5)
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    if (flags.selector !== undefined && args.length > 0)
      throw new UsageError("only a selector (-l) or a POD name is allowed");
    if (flags.selector === undefined && args.length !== 1)
      throw new UsageError("logs takes one pod: k8ts logs POD [-c CONTAINER], or -l SELECTOR");
    if (flags["all-containers"] && flags.container)
      throw new UsageError("--container cannot be combined with --all-containers");
    // As kubectl: all lines of one pod, the last 10 of each when a selector picks the pods.
    const tailFallback = flags.selector === undefined ? -1 : 10;
    const tail = flags.tail === "-1" ? -1 : wholeNumber("tail", flags.tail, tailFallback);
    const since =
      flags.since === undefined ? undefined : Math.ceil(durationMs("since", flags.since, 0) / 1000);
    return runReporting(async () => {
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      return logs(
        connect(flags),
        args[0],
        {
          container: flags.container,
          follow: flags.follow ?? false,
          previous: flags.previous ?? false,
          tailLines: tail === -1 ? undefined : tail,
          timestamps: flags.timestamps ?? false,
          sinceSeconds: since,
          allContainers: flags["all-containers"] ?? false,
          selector: flags.selector,
          prefix: flags.prefix ?? false,
          maxLogRequests: wholeNumber("max-log-requests", flags["max-log-requests"], 5, 1),
        },
        stop.signal,
      );
    });
  },
};
