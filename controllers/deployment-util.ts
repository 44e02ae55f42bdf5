// Deployment facts that the planner and the kubectl-facing fields depend on, after Kubernetes'
// pkg/controller/deployment/util/deployment_util.go: the pod-template-hash, semantic template
// equality, revision annotations, and maxSurge/maxUnavailable resolved against replicas.

import type { Deployment, IntOrString, PodTemplateSpec, ReplicaSet } from "../api/index.js";

export const POD_TEMPLATE_HASH = "pod-template-hash";
export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";

/** Deployment annotations never copied onto its ReplicaSets (the rest are, e.g. change-cause). */
const NOT_COPIED = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  "deprecated.deployment.rollback.to",
]);

/**
 * The template as the controller compares it: without the pod-template-hash label, null fields
 * (kubectl undo sends `creationTimestamp: null`) and empty label/annotation maps. Both sides are
 * stored objects, so the API server has defaulted them alike.
 */
export function normalizedTemplate(t: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(t ?? {}) as PodTemplateSpec;
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  if (copy.metadata?.annotations && Object.keys(copy.metadata.annotations).length === 0) {
    delete copy.metadata.annotations;
  }
  return canonical(copy);
}

/** Keys sorted, nulls dropped, empty objects dropped: a stable form for comparing and hashing. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = canonical((v as Record<string, unknown>)[k]);
    if (x === null || x === undefined) continue;
    if (typeof x === "object" && !Array.isArray(x) && Object.keys(x).length === 0) continue;
    out[k] = x;
  }
  return out;
}

/** Equal as JSON regardless of key order and null or empty fields (what the API server may reorder or drop). */
export function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** EqualIgnoreHash: same template apart from the pod-template-hash label. */
export function templatesEqual(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return JSON.stringify(normalizedTemplate(a)) === JSON.stringify(normalizedTemplate(b));
}

const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/**
 * ComputeHash: FNV-1a (32 bit) over the normalized template and the collision count, written as
 * its decimal digits mapped onto an alphabet without vowels (no accidental words in names).
 */
export function podTemplateHash(t: PodTemplateSpec | undefined, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const text = JSON.stringify(normalizedTemplate(t)) + (collisionCount ? `#${collisionCount}` : "");
  for (const byte of Buffer.from(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join("");
}

export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const n = Number(obj.metadata.annotations?.[REVISION] ?? "0");
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** An int, or a percentage of `total` rounded up or down (GetScaledValueFromIntOrPercent). */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v.trim());
  if (!m) {
    const n = Number(v);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: ${v}`);
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down; both zero would deadlock a
 * rollout, so maxUnavailable becomes 1. Recreate has no surge and may take everything down.
 */
export function fenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type === "Recreate") return { maxSurge: 0, maxUnavailable: replicas };
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const maxSurge = scaledValue(ru.maxSurge ?? "25%", replicas, true);
  let maxUnavailable = scaledValue(ru.maxUnavailable ?? "25%", replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** Deployment annotations that its ReplicaSets carry too. */
export function copiedAnnotations(d: Deployment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
  return out;
}
