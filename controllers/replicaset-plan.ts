// The ReplicaSet controller's decisions, as pure functions of the ReplicaSet and the pods it sees
// (Kubernetes' pkg/controller/replicaset/replica_set.go and controller_ref_manager.go):
//
//   planClaims    (claims.ts) which pods are ours
//   planReplicas  how many pods to create, which to delete (least valuable first)
//   planStatus    replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration
//
// The reconciler (replicaset.ts) carries the plans out.

import type { Pod, ReplicaSet, ReplicaSetStatus } from "../api/index.js";
import { creationMs, isPodActive, isPodAvailable, readySince, restartCount } from "./pods.js";
import { rfc3339 } from "./time.js";

/** At most this many creates or deletes per sync (Kubernetes' burstReplicas). */
export const BURST_REPLICAS = 500;

export interface ReplicaPlan {
  create: number;
  delete: Pod[];
}

/** The difference between the active pods and `spec.replicas`, bounded by `burst` (manageReplicas). */
export function planReplicas(rs: ReplicaSet, owned: Pod[], now: number, burst = BURST_REPLICAS): ReplicaPlan {
  if (rs.metadata.deletionTimestamp) return { create: 0, delete: [] };
  const active = owned.filter(isPodActive);
  const diff = active.length - (rs.spec?.replicas ?? 1);
  if (diff < 0) return { create: Math.min(-diff, burst), delete: [] };
  if (diff > 0) return { create: 0, delete: rankForDeletion(active, now).slice(0, Math.min(diff, burst)) };
  return { create: 0, delete: [] };
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Least valuable first (ActivePodsWithRanks): unscheduled before scheduled; Pending before Unknown
 * before Running; not ready before ready; pods sharing a node with more of this set's pods first;
 * ready for less time before longer; more restarts before fewer; newer before older.
 */
export function rankForDeletion(pods: Pod[], now: number): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const key = (p: Pod) => {
    const node = p.spec?.nodeName;
    const since = readySince(p);
    return [
      node ? 1 : 0,
      PHASE_RANK[p.status?.phase ?? "Pending"] ?? 0,
      since === undefined ? 0 : 1,
      -(node ? (perNode.get(node) ?? 0) : 0),
      since === undefined ? 0 : now - since,
      -restartCount(p),
      -creationMs(p),
    ];
  };
  const keyed = pods.map((p) => ({ p, k: key(p) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return a.k[i]! - b.k[i]!;
    return (a.p.metadata.name ?? "").localeCompare(b.p.metadata.name ?? "");
  });
  return keyed.map((x) => x.p);
}

export interface StatusPlan {
  status: ReplicaSetStatus;
  /** Set when a ready pod becomes available later (minReadySeconds): check again then. */
  requeueAfterMs?: number;
}

/**
 * calculateStatus: counts over the active owned pods. `manageError` (a create or delete that failed
 * this sync) sets the ReplicaFailure condition; a clean sync removes it.
 */
export function planStatus(rs: ReplicaSet, owned: Pod[], now: number, manageError?: string): StatusPlan {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const active = owned.filter(isPodActive);
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  let requeueAfterMs: number | undefined;
  for (const p of active) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    const since = readySince(p);
    if (since === undefined) continue;
    ready++;
    if (isPodAvailable(p, minReady, now)) available++;
    else {
      const wait = since + minReady * 1000 - now + 1;
      requeueAfterMs = requeueAfterMs === undefined ? wait : Math.min(requeueAfterMs, wait);
    }
  }
  const status: ReplicaSetStatus = {
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation,
  };
  const others = (rs.status?.conditions ?? []).filter((c) => c.type !== "ReplicaFailure");
  const failure = rs.status?.conditions?.find((c) => c.type === "ReplicaFailure");
  const conditions = manageError
    ? [
        ...others,
        failure?.message === manageError
          ? failure
          : {
              type: "ReplicaFailure",
              status: "True" as const,
              reason: "FailedCreate",
              message: manageError,
              lastTransitionTime: rfc3339(now),
            },
      ]
    : others;
  if (conditions.length) status.conditions = conditions;
  return { status, requeueAfterMs };
}

/** True when a status write would change anything. */
export function statusChanged(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  return (
    (a?.replicas ?? 0) !== b.replicas ||
    (a?.fullyLabeledReplicas ?? 0) !== (b.fullyLabeledReplicas ?? 0) ||
    (a?.readyReplicas ?? 0) !== (b.readyReplicas ?? 0) ||
    (a?.availableReplicas ?? 0) !== (b.availableReplicas ?? 0) ||
    a?.observedGeneration !== b.observedGeneration ||
    JSON.stringify(a?.conditions ?? []) !== JSON.stringify(b.conditions ?? [])
  );
}
