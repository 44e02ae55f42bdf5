// The node's heartbeat: a Lease named after the node in kube-node-lease, with a 40 s duration renewed
// every quarter of it (10 s), as the kubelet's node lease controller does (nodeLeaseDurationSeconds,
// renew interval fraction 0.25). The node lifecycle controller reads renewTime to decide whether the
// node is alive; the Node's status is written far less often.

import type { Lease } from "../api/index.js";
import { RESOURCES } from "../api/index.js";
import { type Clock, formatMicroTime, isNotFound, type RestClient } from "../client/index.js";
import { every, type Periodic } from "./periodic.js";

const LEASES = RESOURCES.find((r) => r.kind === "Lease")!;
export const NODE_LEASE_NAMESPACE = "kube-node-lease";
/** The kubelet's default nodeLeaseDurationSeconds. */
export const DEFAULT_NODE_LEASE_DURATION_SECONDS = 40;

/** The kubelet renews its lease every quarter of the lease duration (nodeLeaseRenewIntervalFraction). */
export function leaseRenewIntervalMs(durationSeconds: number): number {
  return durationSeconds * 250;
}

export interface NodeLeaseOptions {
  client: RestClient;
  nodeName: string;
  /** The Node's uid, for the owner reference (the lease goes when the Node goes). */
  nodeUid?: string;
  clock: Clock;
  /** How often to renew; default a quarter of durationSeconds. */
  renewMs?: number;
  /** The lease's leaseDurationSeconds (default 40). */
  durationSeconds?: number;
  log: (line: Record<string, unknown>) => void;
}

export class NodeLease {
  private loop: Periodic | undefined;
  /** Time of the last successful renewal (ms), for /healthz. */
  lastRenewed = 0;

  constructor(private readonly opts: NodeLeaseOptions) {}

  start(): void {
    const { clock, log } = this.opts;
    this.loop = every(
      clock,
      this.opts.renewMs ?? leaseRenewIntervalMs(this.durationSeconds()),
      () => this.renew(),
      (err) => log({ level: "error", msg: "node lease renewal failed", err: String(err) }),
      { immediate: true },
    );
  }

  stop(): void {
    this.loop?.stop();
  }

  private durationSeconds(): number {
    return this.opts.durationSeconds ?? DEFAULT_NODE_LEASE_DURATION_SECONDS;
  }

  async renew(): Promise<Lease> {
    const { client, nodeName, clock } = this.opts;
    const now = formatMicroTime(clock.now());
    const spec = {
      holderIdentity: nodeName,
      leaseDurationSeconds: this.durationSeconds(),
      renewTime: now,
    };
    let lease: Lease;
    try {
      const current = await client.get<Lease>(LEASES, nodeName, { namespace: NODE_LEASE_NAMESPACE });
      lease = await client.update<Lease>(LEASES, { ...current, spec: { ...current.spec, ...spec } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      lease = await client.create<Lease>(LEASES, {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: {
          name: nodeName,
          namespace: NODE_LEASE_NAMESPACE,
          ownerReferences: this.opts.nodeUid
            ? [{ apiVersion: "v1", kind: "Node", name: nodeName, uid: this.opts.nodeUid }]
            : undefined,
        },
        spec: { ...spec, acquireTime: now },
      });
    }
    this.lastRenewed = clock.now();
    return lease;
  }
}
