// autoscaling/v1 Scale, exchanged by the /scale subresource of Deployments and ReplicaSets.

import type { StructSchema } from "../schema.js";
import { int, objectEnvelope, ref, str, struct } from "./build.js";

const scale = (n: string) => `io.k8s.api.autoscaling.v1.${n}`;

export const AUTOSCALING_V1: readonly StructSchema[] = [
  struct(scale("Scale"), {
    ...objectEnvelope(),
    spec: ref(scale("ScaleSpec")),
    status: ref(scale("ScaleStatus")),
  }),
  struct(scale("ScaleSpec"), { replicas: int }),
  struct(scale("ScaleStatus"), { replicas: int, selector: str }, ["replicas"]),
];
