// How long the node agents' Lease lasts, from the grace the node lifecycle controller gives a silent
// node. Kubernetes' defaults: a 40 s lease renewed every quarter of it (10 s) against a 40 s
// --node-monitor-grace-period, so a node must miss four renewals in a row before it is marked
// Unknown. A fixed 10 s renewal against a lab's 6 s grace would make healthy nodes flap whenever a
// renewal is a little late, so `k8ts up` keeps the ratio: the lease lasts as long as the grace (at
// most the kubelet's 40 s), and the agents renew it every quarter of that.

export const DEFAULT_NODE_LEASE_SECONDS = 40;
/** Four renewals at least a second apart: anything shorter only loads the API server. */
export const MIN_NODE_MONITOR_GRACE_MS = 4000;

/** The --node-lease-duration-seconds for node agents watched with this grace period. */
export function nodeLeaseDurationSeconds(gracePeriodMs: number | undefined): number {
  if (gracePeriodMs === undefined) return DEFAULT_NODE_LEASE_SECONDS;
  return Math.max(1, Math.min(DEFAULT_NODE_LEASE_SECONDS, Math.floor(gracePeriodMs / 1000)));
}

/** Why a grace period is refused, or undefined when it leaves room for several renewals. */
export function gracePeriodProblem(gracePeriodMs: number): string | undefined {
  if (gracePeriodMs >= MIN_NODE_MONITOR_GRACE_MS) return undefined;
  return (
    `--node-monitor-grace-period must be at least ${MIN_NODE_MONITOR_GRACE_MS / 1000}s, got ${gracePeriodMs}ms: ` +
    "node agents renew their Lease every quarter of the grace period, and a node must be able to miss " +
    "a renewal or two under load without being marked NotReady"
  );
}
