// coordination.k8s.io/v1 Lease (k8s.io/api/coordination/v1/types.go). acquireTime and renewTime
// are MicroTime: RFC 3339 strings with microseconds.

import type { StructSchema } from "../schema.js";
import { int, objectEnvelope, ref, str, struct, time } from "./build.js";

const lease = (n: string) => `io.k8s.api.coordination.v1.${n}`;

export const COORDINATION_V1: readonly StructSchema[] = [
  struct(lease("Lease"), { ...objectEnvelope(), spec: ref(lease("LeaseSpec")) }),
  struct(lease("LeaseSpec"), {
    holderIdentity: str,
    leaseDurationSeconds: int,
    acquireTime: time,
    renewTime: time,
    leaseTransitions: int,
    strategy: str,
    preferredHolder: str,
  }),
];
