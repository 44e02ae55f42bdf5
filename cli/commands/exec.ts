// `k8ts exec`: the definition; the action is kubectl/exec.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { exec } from "../kubectl/exec.js";
import { parseVerb } from "../verb-flags.js";

const OPTIONS = {
  container: { type: "string", short: "c" },
  stdin: { type: "boolean", short: "i" },
  tty: { type: "boolean", short: "t" },
} as const;

export const command: Command = {
  summary: "run a command in a container and exit with its exit code",
  usage: `Usage: k8ts exec [-i] [-t] POD | TYPE/NAME [-c CONTAINER] -- COMMAND [ARG...]

Examples:
  k8ts exec web-7d9f -- ls /          k8ts exec -it web-7d9f -- sh

Flags:
  -c, --container NAME   which container (default: the pod's default container, else the first)
  -i, --stdin            pass stdin to the command
  -t, --tty              a terminal (with -i, on a terminal: raw mode, resized with the window)
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args, rest } = parseVerb(argv, OPTIONS);
    if (args.length !== 1 || rest.length === 0) {
      throw new UsageError("exec takes one pod and a command after --: k8ts exec POD -- COMMAND [ARG...]");
    }
    return runReporting(() =>
      exec(connect(flags), args[0]!, rest, {
        container: flags.container,
        stdin: flags.stdin ?? false,
        tty: flags.tty ?? false,
      }),
    );
  },
};
