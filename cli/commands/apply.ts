// `k8ts apply`: the definition; the action is kubectl/apply.ts.

import type { Command } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { apply } from "../kubectl/apply.js";
import { readManifests } from "../manifests.js";
import { writtenOutput } from "../printers/written.js";
import { DRY_RUN_USAGE, dryRunFlag, parseVerb } from "../verb-flags.js";

const OPTIONS = {
  filename: { type: "string", short: "f", multiple: true },
  "dry-run": { type: "string" },
  output: { type: "string", short: "o" },
} as const;

export const command: Command = {
  summary: "create or update objects from files so they match the files (client-side apply)",
  usage: `Usage: k8ts apply -f FILE|DIR|- [-f ...] [flags]

Creates what is missing; otherwise patches the object so it matches the file, removing what was
removed from the file since the last apply (the kubectl.kubernetes.io/last-applied-configuration
annotation remembers what the file said). Multi-document YAML and JSON; "-" reads stdin.

Flags:
  -f, --filename FILE|DIR|-   the manifests (repeatable)
  -o, --output yaml|json|name print the applied objects as the server answered (several: a List)
                              instead of "TYPE/NAME configured"
${DRY_RUN_USAGE}
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags } = parseVerb(argv, OPTIONS);
    const dryRun = dryRunFlag(flags["dry-run"]);
    return runReporting(async () => {
      const output = writtenOutput(flags.output);
      const manifests = await readManifests(flags.filename ?? []);
      return apply(connect(flags), manifests, { dryRun, output });
    });
  },
};
