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
} as const;

export const command: Command = {
  summary: "print a container's log (-f to keep following it)",
  usage: `Usage: k8ts logs POD | TYPE/NAME [flags]

Flags:
  -c, --container NAME   which container (default: the pod's default container, else the first)
  -f, --follow           keep printing as the container writes
  -p, --previous         the log of the previous instance (after a restart)
      --tail N           only the last N lines (-1: all)
      --timestamps       prefix each line with its RFC3339 timestamp
      --since DURATION   only lines newer than this (5s, 2m, 1h)
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    if (args.length !== 1) throw new UsageError("logs takes one pod: k8ts logs POD [-c CONTAINER]");
    const tail = flags.tail === "-1" ? undefined : wholeNumber("tail", flags.tail, -1);
    const since =
      flags.since === undefined ? undefined : Math.ceil(durationMs("since", flags.since, 0) / 1000);
    return runReporting(async () => {
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      return logs(
        connect(flags),
        args[0]!,
        {
          container: flags.container,
          follow: flags.follow ?? false,
          previous: flags.previous ?? false,
          tailLines: tail === -1 ? undefined : tail,
          timestamps: flags.timestamps ?? false,
          sinceSeconds: since,
        },
        stop.signal,
      );
    });
  },
};
