// `k8ts label` and `k8ts annotate`: `key=value` sets, `key-` removes; a key that already has
// another value is refused unless --overwrite, as kubectl refuses it. One merge patch per object,
// sent with dryRun=All for --dry-run=server and not at all for --dry-run=client.

import type { KubeObject } from "../../api/index.js";
import { UsageError } from "../command.js";
import type { Kube } from "../kube.js";
import { objectLabel, parseResourceArgs, type ResourceSelection } from "../resources.js";
import { DRY_RUN_USAGE, type DryRun, dryRunSuffix } from "../verb-flags.js";

export type MetadataField = "labels" | "annotations";

export type Change = { key: string; value: string } | { key: string; remove: true };

/** Splits `TYPE NAME k=v k-` into the objects and the changes (changes come last). */
export function splitArgs(args: string[]): { objects: string[]; changes: Change[] } {
  const isChange = (a: string) => a.includes("=") || (a.endsWith("-") && !a.includes("/"));
  const first = args.findIndex(isChange);
  if (first < 0) throw new UsageError("at least one change is required: key=value to set, key- to remove");
  const changes = args.slice(first).map((a): Change => {
    if (!isChange(a)) throw new UsageError(`"${a}": changes (key=value, key-) must come after the objects`);
    const eq = a.indexOf("=");
    return eq >= 0 ? { key: a.slice(0, eq), value: a.slice(eq + 1) } : { key: a.slice(0, -1), remove: true };
  });
  for (const c of changes) if (!c.key) throw new UsageError("a change needs a key: key=value or key-");
  return { objects: args.slice(0, first), changes };
}

export interface ChangePlan {
  /** The merge-patch members for the object's map; {} when nothing changes. */
  patch: Record<string, string | null>;
  /** Keys asked to be removed that the object does not have. */
  missing: string[];
}

/** What `changes` do to one object's map, or why they are refused. */
export function planChanges(
  current: Record<string, string> | undefined,
  changes: Change[],
  overwrite: boolean,
): ChangePlan | { error: string } {
  const patch: Record<string, string | null> = {};
  const missing: string[] = [];
  for (const c of changes) {
    const now = current?.[c.key];
    if ("remove" in c) {
      if (now !== undefined) patch[c.key] = null;
      else missing.push(c.key);
      continue;
    }
    if (now === c.value) continue;
    if (now !== undefined && !overwrite)
      return { error: `'${c.key}' already has a value (${now}), and --overwrite is false` };
    patch[c.key] = c.value;
  }
  return { patch, missing };
}

/**
 * The word kubectl prints for an object: annotate always says "annotated"; label says "not
 * labeled" when nothing changes and "unlabeled" when it only removed (without --overwrite).
 */
export function outcomeWord(field: MetadataField, plan: ChangePlan, overwrite: boolean): string {
  if (field === "annotations") return "annotated";
  const values = Object.values(plan.patch);
  if (values.length === 0) return "not labeled";
  return !overwrite && values.every((v) => v === null) ? "unlabeled" : "labeled";
}

export interface EditOptions {
  field: MetadataField;
  changes: Change[];
  overwrite: boolean;
  labelSelector?: string;
  all: boolean;
  dryRun: DryRun;
}

async function objectsOf(kube: Kube, sel: ResourceSelection, opts: EditOptions): Promise<KubeObject[]> {
  const namespace = sel.resource.namespaced ? kube.namespace : undefined;
  if (sel.names.length > 0)
    return Promise.all(sel.names.map((n) => kube.client.get(sel.resource, n, { namespace })));
  if (!opts.labelSelector && !opts.all) throw new UsageError("name the objects, or use -l SELECTOR or --all");
  return (await kube.client.listAll(sel.resource, { namespace, labelSelector: opts.labelSelector })).items;
}

export async function editMetadata(kube: Kube, objectArgs: string[], opts: EditOptions): Promise<number> {
  for (const sel of parseResourceArgs(objectArgs)) {
    for (const obj of await objectsOf(kube, sel, opts)) {
      const name = obj.metadata.name ?? "";
      const plan = planChanges(obj.metadata[opts.field], opts.changes, opts.overwrite);
      if ("error" in plan) throw new Error(plan.error);
      if (opts.field === "labels")
        for (const key of plan.missing) process.stdout.write(`label "${key}" not found.\n`);
      const line = `${objectLabel(sel.resource, name)} ${outcomeWord(opts.field, plan, opts.overwrite)}${dryRunSuffix(opts.dryRun)}\n`;
      if (Object.keys(plan.patch).length === 0 || opts.dryRun === "client") {
        process.stdout.write(line);
        continue;
      }
      await kube.client.patch(
        sel.resource,
        name,
        "merge",
        { metadata: { [opts.field]: plan.patch } },
        {
          namespace: obj.metadata.namespace,
          fieldManager: opts.field === "labels" ? "kubectl-label" : "kubectl-annotate",
          dryRun: opts.dryRun === "server",
        },
      );
      process.stdout.write(line);
    }
  }
  return 0;
}

export function metadataCommandUsage(verb: string, what: string): string {
  return `Usage: k8ts ${verb} TYPE NAME... | TYPE/NAME... | TYPE -l SELECTOR | TYPE --all  KEY=VALUE... KEY-...

Examples:
  k8ts ${verb} pod p1 team=blue        k8ts ${verb} deploy/web team-
  k8ts ${verb} pods -l app=web --overwrite team=red

Flags:
      --overwrite           replace ${what} that already have a value
  -l, --selector SELECTOR   every object of TYPE with matching labels
      --all                 every object of TYPE in the namespace
${DRY_RUN_USAGE}
  -n, --namespace NS  --context CTX  --kubeconfig FILE`;
}
