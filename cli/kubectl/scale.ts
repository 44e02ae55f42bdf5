// `k8ts scale`: the scale subresource, as kubectl uses it — a merge patch of spec.replicas, or,
// with --current-replicas, a read and a compare-and-swap PUT so a concurrent change is refused.
// --dry-run=client reads the scale (so a missing object or a stale --current-replicas still fails)
// and writes nothing; --dry-run=server sends the write with dryRun=All.

import type { Scale } from "../../api/index.js";
import { UsageError } from "../command.js";
import type { Kube } from "../kube.js";
import { objectLabel, type ResourceSelection } from "../resources.js";
import { type DryRun, dryRunSuffix } from "../verb-flags.js";

export async function scale(
  kube: Kube,
  selections: ResourceSelection[],
  replicas: number,
  currentReplicas: number | undefined,
  dryRun: DryRun,
): Promise<number> {
  for (const { resource, names } of selections) {
    if (!resource.subresources.includes("scale")) {
      throw new UsageError(`cannot scale ${resource.plural}: only deployments and replicasets have a scale`);
    }
    for (const name of names) {
      const at = { namespace: kube.namespace, subresource: "scale", dryRun: dryRun === "server" };
      if (currentReplicas === undefined && dryRun !== "client") {
        await kube.client.patch(resource, name, "merge", { spec: { replicas } }, at);
      } else {
        const s = await kube.client.get<Scale>(resource, name, at);
        const now = s.spec?.replicas ?? 0;
        if (currentReplicas !== undefined && now !== currentReplicas) {
          throw new Error(`Expected replicas to be ${currentReplicas}, was ${now}`);
        }
        if (dryRun !== "client") await kube.client.update<Scale>(resource, { ...s, spec: { replicas } }, at);
      }
      process.stdout.write(`${objectLabel(resource, name)} scaled${dryRunSuffix(dryRun)}\n`);
    }
  }
  return 0;
}
