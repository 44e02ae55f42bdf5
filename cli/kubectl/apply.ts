// `k8ts apply -f`: client-side apply. Each object is created when missing, else patched with the
// three-way strategic merge patch of apply/plan-apply.ts, else left alone; a conflict (someone
// wrote in between) re-reads and recomputes, up to five times, as kubectl does. --dry-run=client
// reads and plans but sends nothing; it says "unchanged" when the plan is empty, where kubectl
// says "configured" for every existing object.

import type { KubeObject } from "../../api/index.js";
import { isConflict, isNotFound } from "../../client/index.js";
import { missingLastApplied, planApply } from "../apply/plan-apply.js";
import { reportError } from "../errors.js";
import type { Kube } from "../kube.js";
import type { Manifest } from "../manifests.js";
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

async function applyOne(kube: Kube, t: Target, dryRun: DryRun): Promise<string> {
  const write = { namespace: t.namespace, fieldManager: FIELD_MANAGER, dryRun: dryRun === "server" };
  for (let attempt = 1; ; attempt++) {
    const live = await getLive(kube, t);
    if (live && missingLastApplied(live)) {
      process.stderr.write(
        `Warning: resource ${t.resource.plural}/${t.name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by apply. Apply should only be used on resources created declaratively by apply or create --save-config. The missing annotation will be patched automatically.\n`,
      );
    }
    const plan = planApply(t.resource, t.object, live);
    if (plan.action === "unchanged") return "unchanged";
    if (plan.action === "create") {
      if (dryRun !== "client") await kube.client.create(t.resource, plan.object, write);
      return "created";
    }
    if (dryRun === "client") return "configured";
    try {
      await kube.client.patch(t.resource, t.name, "strategic", plan.patch, write);
      return "configured";
    } catch (err) {
      if (!isConflict(err) || attempt >= ATTEMPTS) throw err;
    }
  }
}

export async function apply(kube: Kube, manifests: Manifest[], opts: { dryRun: DryRun }): Promise<number> {
  let code = 0;
  const suffix = dryRunSuffix(opts.dryRun);
  for (const m of manifests) {
    let t: Target | undefined;
    try {
      t = targetOf(kube, m);
      const outcome = await applyOne(kube, t, opts.dryRun);
      process.stdout.write(`${objectLabel(t.resource, t.name)} ${outcome}${suffix}\n`);
    } catch (err) {
      const what = t
        ? `error when applying "${m.source}" (${objectLabel(t.resource, t.name)})`
        : `error reading "${m.source}"`;
      code = reportError(err, what);
    }
  }
  return code;
}
