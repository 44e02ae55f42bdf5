// `k8ts rollout`: the definition; the actions are kubectl/rollout.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { history, patchDeployment, type RolloutTarget, status, undo } from "../kubectl/rollout.js";
import { parseResourceArgs } from "../resources.js";
import { dryRunFlag, durationMs, parseVerb, wholeNumber } from "../verb-flags.js";

const OPTIONS = {
  watch: { type: "boolean", short: "w" },
  timeout: { type: "string" },
  revision: { type: "string" },
  "to-revision": { type: "string" },
  "dry-run": { type: "string" },
} as const;

const SUBCOMMANDS = ["status", "history", "undo", "restart", "pause", "resume"] as const;
type Sub = (typeof SUBCOMMANDS)[number];

export const command: Command = {
  summary: "follow, list, undo or restart a deployment's rollout",
  usage: `Usage: k8ts rollout SUBCOMMAND deploy/NAME | deploy NAME [flags]

Subcommands:
  status    wait until the rollout is done, printing its progress (kubectl's rules)
  history   the revisions (--revision=N: that revision's pod template)
  undo      back to the previous revision (--to-revision=N: to that one)
  restart   replace every pod, through a new revision
  pause     stop rolling out template changes     resume   start again

Flags:
  -w, --watch=false        status: print the current state once instead of waiting
      --timeout DURATION   status: give up after this long (default: no limit)
      --revision N         history: show revision N
      --to-revision N      undo: go back to revision N
      --dry-run=client|server  undo: say what it would do, change nothing
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    const [sub, ...rest] = args;
    if (!SUBCOMMANDS.includes(sub as Sub)) {
      throw new UsageError(`rollout needs a subcommand: ${SUBCOMMANDS.join(", ")}`);
    }
    const selections = parseResourceArgs(rest);
    const targets: RolloutTarget[] = selections.flatMap((s) =>
      s.names.map((name) => ({ resource: s.resource, name })),
    );
    if (targets.length === 0) throw new UsageError("name the deployment: deploy/NAME");
    for (const t of targets) {
      if (t.resource.kind !== "Deployment")
        throw new UsageError(`no rollout for ${t.resource.plural}: only deployments roll out`);
    }
    const dryRun = dryRunFlag(flags["dry-run"]);
    return runReporting(async () => {
      const kube = connect(flags);
      for (const t of targets) {
        if (sub === "status") {
          await status(kube, t, {
            watch: flags.watch ?? true,
            timeoutMs: durationMs("timeout", flags.timeout, 0),
          });
        } else if (sub === "history") {
          await history(kube, t, wholeNumber("revision", flags.revision, 0));
        } else if (sub === "undo") {
          await undo(kube, t, wholeNumber("to-revision", flags["to-revision"], 0), dryRun);
        } else {
          await patchDeployment(kube, t, sub as "restart" | "pause" | "resume");
        }
      }
      return 0;
    });
  },
};
