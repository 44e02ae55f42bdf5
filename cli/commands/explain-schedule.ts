// `k8ts explain-schedule`: the definition; the action is kubectl/explain-schedule.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { explainSchedule, schedulerAddress } from "../kubectl/explain-schedule.js";
import { parseVerb } from "../verb-flags.js";

const OPTIONS = { scheduler: { type: "string" }, "data-dir": { type: "string" } } as const;

export const command: Command = {
  summary: "explain why the scheduler put a pod on its node (filters and scores, node by node)",
  usage: `Usage: k8ts explain-schedule POD [flags]

Reads the scheduler's record of the pod's last scheduling attempt: which nodes each filter plugin
ruled out and why, and how the best remaining nodes scored, plugin by plugin.

Flags:
  --scheduler HOST:PORT   the scheduler's --metrics-bind-address (default: from the local
                          cluster's record in --data-dir, else 127.0.0.1:10259)
  --data-dir DIR          the local cluster's data dir (default ~/.k8ts)
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    if (args.length !== 1) throw new UsageError("name one pod: k8ts explain-schedule POD");
    const name = args[0]!.replace(/^(pods?|po)\//, "");
    return runReporting(() =>
      explainSchedule(connect(flags), name, schedulerAddress(flags.scheduler, flags["data-dir"])),
    );
  },
};
