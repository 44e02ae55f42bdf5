// Shared cell formats of the workload printers: container names and images of a pod template, and
// a label selector as Kubernetes prints it (metav1.FormatLabelSelector).

import type { Container } from "../../api/core-v1.js";
import type { LabelSelector } from "../../api/meta.js";

/** "nginx,sidecar" and "nginx:1.25,busybox:1.36" (Kubernetes' layoutContainerCells). */
export function containerCells(containers: readonly Container[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name ?? "").join(","), cs.map((c) => c.image ?? "").join(",")];
}

/**
 * A selector as labels.Selector.String(): requirements sorted by key, `k=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k`, `!k`; "" for a missing or empty selector.
 */
export function selectorString(sel: LabelSelector | undefined): string {
  if (!sel) return "";
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(",");
    const text =
      e.operator === "In"
        ? `${e.key} in (${values})`
        : e.operator === "NotIn"
          ? `${e.key} notin (${values})`
          : e.operator === "Exists"
            ? e.key
            : `!${e.key}`;
    reqs.push([e.key, text]);
  }
  reqs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return reqs.map((r) => r[1]).join(",");
}

/** metav1.FormatLabelSelector: the selector string, or "<none>" when it selects by nothing. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  return selectorString(sel) || "<none>";
}
