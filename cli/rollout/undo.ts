// rollout undo, decided: which ReplicaSet's template to go back to (the given revision, else the
// newest below the current one) and the JSON patch kubectl sends — the template without its
// pod-template-hash label, and the Deployment's annotations merged with the ReplicaSet's except the
// ones that describe the ReplicaSet itself.

import type { Deployment, PodTemplateSpec, ReplicaSet } from "../../api/index.js";
import { jsonEqual } from "../apply/three-way-patch.js";
import { revisionOf } from "../describe/index.js";

/** Annotations that belong to a ReplicaSet, never copied onto the Deployment by a rollback. */
const NOT_COPIED = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  "deployment.kubernetes.io/revision",
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
]);

export type UndoPlan =
  | { action: "patch"; revision: number; patch: { op: "replace" | "add"; path: string; value: unknown }[] }
  | { action: "skip"; revision: number }
  | { error: string };

/** A template as a rollback compares it: no pod-template-hash label, no creationTimestamp. */
export function withoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec {
  const labels = { ...t?.metadata?.labels };
  delete labels["pod-template-hash"];
  const { creationTimestamp: _, ...metadata } = t?.metadata ?? {};
  return { ...t, metadata: { ...metadata, labels } };
}

export function planUndo(d: Deployment, owned: ReplicaSet[], toRevision: number): UndoPlan {
  if (d.spec?.paused) {
    return {
      error: `you cannot rollback a paused deployment; resume it first with 'k8ts rollout resume' and try again`,
    };
  }
  const current = revisionOf(d);
  const candidates = [...owned].sort((a, b) => revisionOf(b) - revisionOf(a));
  const target =
    toRevision > 0
      ? candidates.find((rs) => revisionOf(rs) === toRevision)
      : candidates.find((rs) => revisionOf(rs) < current && revisionOf(rs) > 0);
  if (!target) {
    return {
      error:
        toRevision > 0
          ? `unable to find the specified revision ${toRevision}`
          : "no rollout history found for deployment",
    };
  }
  const revision = revisionOf(target);
  const template = withoutHash(target.spec?.template);
  if (jsonEqual(template, withoutHash(d.spec?.template))) return { action: "skip", revision };
  // Sent as kubectl sends it (Go marshals the empty timestamp as null), so both leave the same object.
  const sent = { ...template, metadata: { creationTimestamp: null, ...template.metadata } };
  const annotations: Record<string, string> = { ...d.metadata.annotations };
  for (const [k, v] of Object.entries(target.metadata.annotations ?? {}))
    if (!NOT_COPIED.has(k)) annotations[k] = v;
  return {
    action: "patch",
    revision,
    patch: [
      { op: "replace", path: "/spec/template", value: sent },
      // "add" sets a member whether or not it exists; "replace" would fail on a missing one.
      { op: d.metadata.annotations ? "replace" : "add", path: "/metadata/annotations", value: annotations },
    ],
  };
}
