// `k8ts apply -f`: client-side apply. Each object is created when missing, else patched with the
// three-way strategic merge patch of apply/plan-apply.ts, else left alone; a conflict (someone
// wrote in between) re-reads and recomputes, up to five times, as kubectl does. --dry-run=client
// reads and plans but sends nothing; it says "unchanged" when the plan is empty, where kubectl
// says "configured" for every existing object.

import { CATALOG, type KubeObject, type ResourceType, strategicMergePatch } from "../../api/index.js";
import { isConflict, isNotFound } from "../../client/index.js";
import { missingLastApplied, planApply } from "../apply/plan-apply.js";
import { reportError } from "../errors.js";
import type { Kube } from "../kube.js";
import type { Manifest } from "../manifests.js";
import type { ObjectFormat } from "../printers/object.js";
import { formatApplied } from "../printers/written.js";
import { objectLabel } from "../resources.js";
import { type DryRun, dryRunSuffix } from "../verb-flags.js";
import { type Target, targetOf } from "./manifest-target.js";

const FIELD_MANAGER = "kubectl-client-side-apply";
const ATTEMPTS = 5;

async function getLive(kube: Kube, t: Target): Promise<KubeObject | undefined> {
  try {
    return await kube.client.get(t.resource, t.name, { namespace: t.namespace });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

interface Applied {
  outcome: "created" | "configured" | "unchanged";
  /** What the server answered, or (dry run, unchanged) the object as it stands or would be sent. */
  object: KubeObject;
}

async function applyOne(kube: Kube, t: Target, dryRun: DryRun): Promise<Applied> {
  const write = { namespace: t.namespace, fieldManager: FIELD_MANAGER, dryRun: dryRun === "server" };
  for (let attempt = 1; ; attempt++) {
    const live = await getLive(kube, t);
    if (live && missingLastApplied(live)) {
      process.stderr.write(
        `Warning: resource ${t.resource.plural}/${t.name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by apply. Apply should only be used on resources created declaratively by apply or create --save-config. The missing annotation will be patched automatically.\n`,
      );
    }
    const plan = planApply(t.resource, t.object, live);
    if (plan.action === "unchanged") return { outcome: "unchanged", object: live! };
    if (plan.action === "create") {
      const object =
        dryRun === "client" ? plan.object : await kube.client.create(t.resource, plan.object, write);
      return { outcome: "created", object };
    }
    if (dryRun === "client") {
      // What the server would answer: the patch applied to the live object.
      const object = strategicMergePatch(live, plan.patch, CATALOG, t.resource.schema) as KubeObject;
      return { outcome: "configured", object };
    }
    try {
      const object = await kube.client.patch(t.resource, t.name, "strategic", plan.patch, write);
      return { outcome: "configured", object };
    } catch (err) {
      if (!isConflict(err) || attempt >= ATTEMPTS) throw err;
    }
  }
}

export async function apply(
  kube: Kube,
  manifests: Manifest[],
  opts: { dryRun: DryRun; output?: ObjectFormat },
): Promise<number> {
  let code = 0;
  const suffix = dryRunSuffix(opts.dryRun);
  const written: { resource: ResourceType; object: KubeObject }[] = [];
  for (const m of manifests) {
    let t: Target | undefined;
    try {
      t = targetOf(kube, m);
      const { outcome, object } = await applyOne(kube, t, opts.dryRun);
      if (opts.output) written.push({ resource: t.resource, object });
      else process.stdout.write(`${objectLabel(t.resource, t.name)} ${outcome}${suffix}\n`);
    } catch (err) {
      const what = t
        ? `error when applying "${m.source}" (${objectLabel(t.resource, t.name)})`
        : `error reading "${m.source}"`;
      code = reportError(err, what);
    }
  }
  if (opts.output && written.length > 0) process.stdout.write(formatApplied(written, opts.output));
  return code;
}
