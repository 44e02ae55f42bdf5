// The node's heartbeat: a Lease named after the node in kube-node-lease, renewed every 10 s with a
// 40 s duration, as the kubelet's node lease controller does. The node lifecycle controller reads
// renewTime to decide whether the node is alive; the Node's status is written far less often.

import type { Lease } from "../api/index.js";
import { RESOURCES } from "../api/index.js";
import { type Clock, formatMicroTime, isNotFound, type RestClient } from "../client/index.js";
import { every, type Periodic } from "./periodic.js";

const LEASES = RESOURCES.find((r) => r.kind === "Lease")!;
export const NODE_LEASE_NAMESPACE = "kube-node-lease";

export interface NodeLeaseOptions {
  client: RestClient;
  nodeName: string;
  /** The Node's uid, for the owner reference (the lease goes when the Node goes). */
  nodeUid?: string;
  clock: Clock;
  renewMs?: number;
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
      this.opts.renewMs ?? 10_000,
      () => this.renew(),
      (err) => log({ level: "error", msg: "node lease renewal failed", err: String(err) }),
      { immediate: true },
    );
  }

  stop(): void {
    this.loop?.stop();
  }

  async renew(): Promise<Lease> {
    const { client, nodeName, clock } = this.opts;
    const now = formatMicroTime(clock.now());
    const spec = {
      holderIdentity: nodeName,
      leaseDurationSeconds: this.opts.durationSeconds ?? 40,
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
