// `k8ts create -f`: POST each object; an existing one is an error (AlreadyExists), unlike apply.
// --dry-run=client sends nothing at all (kubectl does not look for an existing object either).

import type { KubeObject, ResourceType } from "../../api/index.js";
import { withLastApplied } from "../apply/plan-apply.js";
import { reportError } from "../errors.js";
import type { Kube } from "../kube.js";
import type { Manifest } from "../manifests.js";
import { objectLabel } from "../resources.js";
import { type DryRun, dryRunSuffix } from "../verb-flags.js";
import { targetOf } from "./manifest-target.js";

export async function create(
  kube: Kube,
  manifests: Manifest[],
  opts: { saveConfig: boolean; dryRun: DryRun },
): Promise<number> {
  let code = 0;
  for (const m of manifests) {
    try {
      const t = targetOf(kube, m);
      const body = opts.saveConfig ? withLastApplied(t.object) : t.object;
      await createObject(kube, t.resource, body, opts.dryRun);
    } catch (err) {
      code = reportError(err, `error when creating "${m.source}"`);
    }
  }
  return code;
}

export async function createObject(
  kube: Kube,
  r: ResourceType,
  obj: KubeObject,
  dryRun: DryRun,
): Promise<void> {
  const made =
    dryRun === "client"
      ? obj
      : await kube.client.create(r, obj, { fieldManager: "kubectl-create", dryRun: dryRun === "server" });
  process.stdout.write(`${objectLabel(r, made.metadata.name ?? "")} created${dryRunSuffix(dryRun)}\n`);
}
