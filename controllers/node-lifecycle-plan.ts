// The node lifecycle controller's decisions (Kubernetes' pkg/controller/nodelifecycle and
// pkg/controller/tainteviction), as pure functions:
//
//   planNodeHealth  a node whose heartbeat (Lease renewal or status update, as observed by us) is older
//                   than the grace period gets its conditions set to Unknown
//   planTaints      Ready=False → not-ready, Ready=Unknown → unreachable (NoSchedule and NoExecute);
//                   spec.unschedulable → unschedulable:NoSchedule; other taints are left alone
//   disruption      Normal / PartialDisruption / FullDisruption of the cluster, and the NoExecute
//                   tainting rate that goes with it (so a partitioned half of a cluster is not emptied at once)
//   planEvictions   when each pod on a NoExecute-tainted node must go, from its tolerations

import type { Condition, Node, Pod, Taint, Toleration } from "../api/index.js";
import { rfc3339 } from "./time.js";

export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
const MANAGED = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE]);

/** Conditions the node agent reports and that go Unknown with it. */
const AGENT_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

export function readyCondition(node: Node): Condition | undefined {
  return node.status?.conditions?.find((c) => c.type === "Ready");
}

/**
 * tryUpdateNodeHealth: past the grace period since the last heartbeat we observed, every agent
 * condition becomes Unknown (once). Returns the new conditions, or undefined when nothing changes.
 */
export function planNodeHealth(
  node: Node,
  lastHeartbeatMs: number,
  now: number,
  gracePeriodMs: number,
): Condition[] | undefined {
  if (now - lastHeartbeatMs <= gracePeriodMs) return undefined;
  const ts = rfc3339(now);
  const current = node.status?.conditions ?? [];
  let changed = false;
  const next: Condition[] = current.map((c) => {
    if (!AGENT_CONDITIONS.includes(c.type) || c.status === "Unknown") return c;
    changed = true;
    return {
      ...c,
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
      lastTransitionTime: ts,
    };
  });
  for (const type of AGENT_CONDITIONS) {
    if (current.some((c) => c.type === type)) continue;
    changed = true;
    next.push({
      type,
      status: "Unknown",
      reason: "NodeStatusNeverUpdated",
      message: "Kubelet never posted node status.",
      lastHeartbeatTime: ts,
      lastTransitionTime: ts,
    });
  }
  return changed ? next : undefined;
}

/**
 * The node's taints after this pass. `allowNoExecute` is false while the tainting rate limiter (or
 * a full disruption) holds new NoExecute taints back; taints already there stay, with their timeAdded.
 */
export function planTaints(node: Node, now: number, allowNoExecute: boolean): Taint[] {
  const existing = node.spec?.taints ?? [];
  const ready = readyCondition(node)?.status;
  const want: Taint[] = [];
  const key = ready === "False" ? TAINT_NOT_READY : ready === "Unknown" ? TAINT_UNREACHABLE : undefined;
  if (key) {
    want.push({ key, effect: "NoSchedule" });
    const had = existing.find((t) => t.key === key && t.effect === "NoExecute");
    if (had) want.push(had);
    else if (allowNoExecute) want.push({ key, effect: "NoExecute", timeAdded: rfc3339(now) });
  }
  if (node.spec?.unschedulable) want.push({ key: TAINT_UNSCHEDULABLE, effect: "NoSchedule" });
  const kept = existing.filter((t) => !MANAGED.has(t.key));
  const keep = (t: Taint) => existing.find((e) => e.key === t.key && e.effect === t.effect) ?? t;
  return [...kept, ...want.map(keep)];
}

export function taintsEqual(a: Taint[] | undefined, b: Taint[] | undefined): boolean {
  const f = (ts: Taint[] | undefined) =>
    JSON.stringify((ts ?? []).map((t) => [t.key, t.value ?? "", t.effect, t.timeAdded ?? ""]).sort());
  return f(a) === f(b);
}

export function isNodeReady(node: Node): boolean {
  return readyCondition(node)?.status === "True";
}

export type Disruption = "Normal" | "PartialDisruption" | "FullDisruption";

export interface EvictionRates {
  /** NoExecute taints per second in a healthy cluster (Kubernetes --node-eviction-rate, 0.1). */
  rate: number;
  /** In a partial disruption of a large cluster (--secondary-node-eviction-rate, 0.01). */
  secondaryRate: number;
  /** Fraction of not-ready nodes that makes a partial disruption (--unhealthy-zone-threshold, 0.55). */
  unhealthyThreshold: number;
  /** Clusters up to this size stop tainting in a partial disruption (--large-cluster-size-threshold, 50). */
  largeClusterThreshold: number;
}

/**
 * ComputeZoneState over the whole cluster (k8ts has one zone): all nodes not ready is a full
 * disruption (more likely our own network than every node dying: taint nothing new); more than
 * two and at least the threshold fraction not ready is partial.
 */
export function disruption(nodes: Node[], threshold: number): Disruption {
  const notReady = nodes.filter((n) => !isNodeReady(n)).length;
  if (nodes.length > 0 && notReady === nodes.length) return "FullDisruption";
  if (notReady > 2 && notReady / nodes.length >= threshold) return "PartialDisruption";
  return "Normal";
}

export function taintRate(state: Disruption, clusterSize: number, r: EvictionRates): number {
  if (state === "FullDisruption") return 0;
  if (state === "PartialDisruption") return clusterSize > r.largeClusterThreshold ? r.secondaryRate : 0;
  return r.rate;
}

/** Tolerates: the toleration matches the taint's key, value (Equal) or any value (Exists), and effect. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === "Exists") return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
}

export interface EvictionDefaults {
  /** Added for not-ready/unreachable when a pod has no toleration of its own (DefaultTolerationSeconds, 300). */
  notReadySeconds: number;
  unreachableSeconds: number;
}

/**
 * When `pod` must leave a node with these taints: now (a NoExecute taint it does not tolerate),
 * at the earliest taint time + tolerationSeconds, or never (tolerated forever). In ms since epoch.
 */
export function evictionTime(
  pod: Pod,
  taints: Taint[],
  defaults: EvictionDefaults,
  now: number,
): number | undefined {
  const noExecute = taints.filter((t) => t.effect === "NoExecute");
  if (noExecute.length === 0) return undefined;
  const tolerations = [...(pod.spec?.tolerations ?? [])];
  const matchesDefault = (key: string) =>
    !tolerations.some((t) => tolerates(t, { key, effect: "NoExecute" }));
  if (matchesDefault(TAINT_NOT_READY)) {
    tolerations.push({
      key: TAINT_NOT_READY,
      operator: "Exists",
      effect: "NoExecute",
      tolerationSeconds: defaults.notReadySeconds,
    });
  }
  if (matchesDefault(TAINT_UNREACHABLE)) {
    tolerations.push({
      key: TAINT_UNREACHABLE,
      operator: "Exists",
      effect: "NoExecute",
      tolerationSeconds: defaults.unreachableSeconds,
    });
  }
  let at: number | undefined;
  for (const taint of noExecute) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return now;
    // The shortest tolerationSeconds among the matching ones; none set means forever.
    const seconds = matching.map((t) => t.tolerationSeconds).filter((s): s is number => s !== undefined);
    if (seconds.length === 0) continue;
    const since = taint.timeAdded ? Date.parse(taint.timeAdded) : now;
    const due = since + Math.max(0, Math.min(...seconds)) * 1000;
    at = at === undefined ? due : Math.min(at, due);
  }
  return at;
}
