// `k8ts delete`: the definition; the action is kubectl/delete.ts.

import { type Command, UsageError } from "../command.js";
import { runReporting } from "../errors.js";
import { connect } from "../kube.js";
import { type DeleteTarget, deleteObjects, targetsOf } from "../kubectl/delete.js";
import { targetOf } from "../kubectl/manifest-target.js";
import { readManifests } from "../manifests.js";
import { parseResourceArgs } from "../resources.js";
import { DRY_RUN_USAGE, dryRunFlag, durationMs, parseVerb } from "../verb-flags.js";

const OPTIONS = {
  filename: { type: "string", short: "f", multiple: true },
  selector: { type: "string", short: "l" },
  all: { type: "boolean" },
  wait: { type: "boolean" },
  timeout: { type: "string" },
  "grace-period": { type: "string" },
  force: { type: "boolean" },
  "ignore-not-found": { type: "boolean" },
  "dry-run": { type: "string" },
  cascade: { type: "string" },
  now: { type: "boolean" },
} as const;

const CASCADE = {
  background: "Background",
  true: "Background",
  foreground: "Foreground",
  orphan: "Orphan",
  false: "Orphan",
} as const;

export const command: Command = {
  summary: "delete objects by name, by label, or as listed in files, and wait until they are gone",
  usage: `Usage: k8ts delete TYPE NAME... | TYPE/NAME... | TYPE -l SELECTOR | TYPE --all | -f FILE [flags]

Flags:
  -f, --filename FILE|DIR|-   delete what the manifests name
  -l, --selector SELECTOR     delete every object of TYPE with matching labels
      --all                   delete every object of TYPE in the namespace
      --wait=false            return once the server accepted the deletion (default: wait until gone)
      --timeout DURATION      give up waiting after this long (default: no limit)
      --grace-period SECONDS  time for pods to stop (default: the pod's terminationGracePeriodSeconds)
      --now                   a grace period of 1 second (stop at once, but through the node)
      --force                 remove at once (grace period 0), without waiting for the node
      --cascade MODE          background (default): dependents go after; foreground: before;
                              orphan: dependents stay, without their owner
      --ignore-not-found      missing objects are not an error
${DRY_RUN_USAGE}
  -n, --namespace NS  --context CTX  --kubeconfig FILE`,
  run(argv) {
    const { flags, args } = parseVerb(argv, OPTIONS);
    const files = flags.filename ?? [];
    if (files.length > 0 && args.length > 0)
      throw new UsageError("give either -f FILE or TYPE NAME, not both");
    const selections = files.length > 0 ? [] : parseResourceArgs(args);
    if (selections.some((s) => s.names.length === 0) && !flags.selector && !flags.all) {
      throw new UsageError(
        "resource(s) were provided, but no name was specified: give names, -l SELECTOR or --all",
      );
    }
    const dryRun = dryRunFlag(flags["dry-run"]);
    const mode = flags.cascade ?? "background";
    if (!Object.hasOwn(CASCADE, mode))
      throw new UsageError(
        `invalid cascade value (${mode}). Must be "background", "foreground", or "orphan".`,
      );
    const cascade = CASCADE[mode as keyof typeof CASCADE];
    if (flags.now && flags["grace-period"] !== undefined)
      throw new UsageError("--now and --grace-period cannot be specified together");
    const grace = flags.now ? "1" : flags["grace-period"];
    const gracePeriodSeconds = grace === undefined || grace === "-1" ? undefined : Number(grace);
    if (
      gracePeriodSeconds !== undefined &&
      !(Number.isInteger(gracePeriodSeconds) && gracePeriodSeconds >= 0)
    ) {
      throw new UsageError(`--grace-period must be a whole number of seconds, got "${grace}"`);
    }
    return runReporting(async () => {
      const kube = connect(flags);
      let targets: DeleteTarget[];
      if (files.length > 0) targets = (await readManifests(files)).map((m) => targetOf(kube, m));
      else
        targets = await targetsOf(kube, selections, {
          labelSelector: flags.selector,
          all: flags.all ?? false,
        });
      if (targets.length === 0) {
        process.stderr.write("No resources found\n");
        return 0;
      }
      return deleteObjects(kube, targets, {
        wait: flags.wait ?? true,
        timeoutMs: durationMs("timeout", flags.timeout, 0),
        gracePeriodSeconds,
        force: flags.force ?? false,
        ignoreNotFound: flags["ignore-not-found"] ?? false,
        dryRun,
        propagationPolicy: cascade,
      });
    });
  },
};
