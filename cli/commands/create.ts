// `k8ts create`: the definition; the action is kubectl/create.ts.

import { RESOURCES } from "../../api/index.js";
import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { create, createObject } from "../kubectl/create.js";
import { readManifests } from "../manifests.js";
import { DRY_RUN_USAGE, dryRunFlag, parseVerb } from "../verb-flags.js";

const OPTIONS = {
  filename: { type: "string", short: "f", multiple: true },
  "save-config": { type: "boolean" },
  "dry-run": { type: "string" },
} as const;

export const command: Command = {
  summary: "create objects from files (an existing object is an error; see apply)",
  usage: `Usage: k8ts create -f FILE|DIR|- [flags]
       k8ts create namespace NAME

Flags:
  -f, --filename FILE|DIR|-   the manifests (repeatable)
      --save-config           record the last-applied annotation, so apply can take over later
${DRY_RUN_USAGE}
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    const dryRun = dryRunFlag(flags["dry-run"]);
    if (args.length > 0) {
      if (!["namespace", "ns"].includes(args[0]!) || args.length !== 2) {
        throw new UsageError("create takes -f FILE, or `namespace NAME`");
      }
      const ns = RESOURCES.find((r) => r.kind === "Namespace" && r.group === "")!;
      return runReporting(async () => {
        await createObject(
          connect(flags),
          ns,
          { apiVersion: "v1", kind: "Namespace", metadata: { name: args[1] } },
          dryRun,
        );
        return 0;
      });
    }
    return runReporting(async () => {
      const manifests = await readManifests(flags.filename ?? []);
      return create(connect(flags), manifests, { saveConfig: flags["save-config"] ?? false, dryRun });
    });
  },
};
