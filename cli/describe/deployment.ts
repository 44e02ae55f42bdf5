// describe deployment: replicas at a glance, strategy, the pod template, conditions, the
// ReplicaSets it owns (old and new, by controller uid and template), events.

import type { Deployment, ReplicaSet } from "../../api/index.js";
import { formatLabelSelector, RESOURCES } from "../../api/index.js";
import type { Describer } from "./describer.js";
import { eventsFor, writeEvents } from "./events.js";
import { describeTime, writePodTemplate } from "./template.js";
import { DescribeWriter } from "./writer.js";

const REPLICASETS = RESOURCES.find((r) => r.kind === "ReplicaSet")!;

/** The ReplicaSets a Deployment controls, newest revision first; the first is the current one. */
export async function ownedReplicaSets(
  client: Parameters<Describer["describe"]>[0],
  d: Deployment,
): Promise<ReplicaSet[]> {
  const list = await client.listAll<ReplicaSet>(REPLICASETS, {
    namespace: d.metadata.namespace,
    labelSelector: d.spec?.selector ? formatLabelSelector(d.spec.selector) : undefined,
  });
  return list.items
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid))
    .sort((a, b) => revisionOf(b) - revisionOf(a));
}

export const revisionOf = (o: { metadata: { annotations?: Record<string, string> } }) =>
  Number(o.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? 0);

const rsLine = (rs: ReplicaSet) =>
  `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`;

export const deploymentDescriber: Describer = {
  async describe(client, r, obj, now) {
    const d = obj as Deployment;
    const spec = d.spec;
    const st = d.status;
    const w = new DescribeWriter();
    w.field(0, "Name", d.metadata.name).field(0, "Namespace", d.metadata.namespace);
    w.field(0, "CreationTimestamp", describeTime(d.metadata.creationTimestamp));
    w.map(0, "Labels", d.metadata.labels).map(0, "Annotations", d.metadata.annotations);
    w.field(0, "Selector", spec?.selector ? formatLabelSelector(spec.selector) : undefined);
    w.field(
      0,
      "Replicas",
      `${spec?.replicas ?? 0} desired | ${st?.updatedReplicas ?? 0} updated | ${st?.replicas ?? 0} total | ${st?.availableReplicas ?? 0} available | ${st?.unavailableReplicas ?? 0} unavailable`,
    );
    w.field(0, "StrategyType", spec?.strategy?.type);
    w.field(0, "MinReadySeconds", spec?.minReadySeconds ?? 0);
    const ru = spec?.strategy?.rollingUpdate;
    if (spec?.strategy?.type === "RollingUpdate" && ru) {
      w.field(
        0,
        "RollingUpdateStrategy",
        `${ru.maxUnavailable ?? "25%"} max unavailable, ${ru.maxSurge ?? "25%"} max surge`,
      );
    }
    writePodTemplate(w, 0, spec?.template);
    const conditions = st?.conditions ?? [];
    if (conditions.length > 0) {
      w.line(0, "Conditions:");
      w.table(
        1,
        ["Type", "Status", "Reason"],
        conditions.map((c) => [c.type, c.status, c.reason ?? ""]),
      );
    }
    const owned = await ownedReplicaSets(client, d);
    const [current, ...old] = owned;
    const oldActive = old.filter((rs) => (rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0);
    w.field(0, "OldReplicaSets", oldActive.map(rsLine).join(", "));
    w.field(0, "NewReplicaSet", current ? rsLine(current) : undefined);
    writeEvents(w, await eventsFor(client, r, d), now);
    return w.toString();
  },
};
