// Whether a toleration tolerates a taint (core/v1 helper ToleratesTaint), shared by the plugins that
// look at taints: TaintToleration, NodeUnschedulable, NodeReady.

import type { Taint, Toleration } from "../../api/index.js";

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  // An empty key with operator Exists tolerates everything.
  if (t.operator === "Exists") return true;
  return (t.value ?? "") === (taint.value ?? "");
}

export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}
