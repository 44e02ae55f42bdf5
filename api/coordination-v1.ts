// coordination.k8s.io/v1 Lease (node heartbeats, leader election), as in k8s.io/api v1.32.

import type { KubeObject, ObjectMeta } from "./meta.js";

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** MicroTime: RFC 3339 with microseconds, e.g. "2024-05-01T10:00:00.123456Z". */
  acquireTime?: string;
  /** MicroTime. */
  renewTime?: string;
  leaseTransitions?: number;
  strategy?: string;
  preferredHolder?: string;
}

export interface Lease extends KubeObject {
  apiVersion?: "coordination.k8s.io/v1";
  kind?: "Lease";
  metadata: ObjectMeta;
  spec?: LeaseSpec;
}
