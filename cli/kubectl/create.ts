// `k8ts create -f` (and the objects of `create deployment|configmap|secret|namespace`): POST each
// object; an existing one is an error (AlreadyExists), unlike apply. --dry-run=client sends nothing
// at all (kubectl does not look for an existing object either). -o yaml|json|name prints the
// object the server answered (under --dry-run=client, the object as it would be sent).

import type { KubeObject, ResourceType } from "../../api/index.js";
import { withLastApplied } from "../apply/plan-apply.js";
import { reportError } from "../errors.js";
import type { Kube } from "../kube.js";
import type { Manifest } from "../manifests.js";
import type { ObjectFormat } from "../printers/object.js";
import { formatWritten } from "../printers/written.js";
import { objectLabel } from "../resources.js";
import { type DryRun, dryRunSuffix } from "../verb-flags.js";
import { targetOf } from "./manifest-target.js";

export async function create(
  kube: Kube,
  manifests: Manifest[],
  opts: { saveConfig: boolean; dryRun: DryRun; output?: ObjectFormat },
): Promise<number> {
  let code = 0;
  let printed = 0;
  for (const m of manifests) {
    try {
      const t = targetOf(kube, m);
      const body = opts.saveConfig ? withLastApplied(t.object) : t.object;
      await createObject(kube, t.resource, body, opts.dryRun, opts.output, printed++);
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
  output?: ObjectFormat,
  index = 0,
  generated = false,
): Promise<void> {
  const made =
    dryRun === "client"
      ? obj
      : await kube.client.create(r, generated ? withoutNulls(obj) : obj, {
          namespace: r.namespaced ? (obj.metadata.namespace ?? kube.namespace) : undefined,
          fieldManager: "kubectl-create",
          dryRun: dryRun === "server",
        });
  process.stdout.write(
    output
      ? formatWritten(r, made, output, index, generated && dryRun === "client")
      : `${objectLabel(r, made.metadata.name ?? "")} created${dryRunSuffix(dryRun)}\n`,
  );
}

/**
 * A generated object as kubectl's typed client sends it: its "creationTimestamp: null" fields are
 * there for printing only (the wire form leaves them out, so the stored object has none).
 */
function withoutNulls<T>(v: T): T {
  if (Array.isArray(v)) return v.map(withoutNulls) as T;
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null)
        .map(([k, x]) => [k, withoutNulls(x)]),
    ) as T;
  return v;
}
