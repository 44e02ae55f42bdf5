// policy/v1 Eviction, the body of POST pods/{name}/eviction (k8s.io/api/policy/v1/types.go).

import type { StructSchema } from "../schema.js";
import { META, objectEnvelope, ref, struct } from "./build.js";

export const POLICY_V1: readonly StructSchema[] = [
  struct("io.k8s.api.policy.v1.Eviction", { ...objectEnvelope(), deleteOptions: ref(META.DeleteOptions) }),
];
