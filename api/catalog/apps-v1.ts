// apps/v1 structs (k8s.io/api/apps/v1/types.go, v1.32). DeploymentSpec.strategy carries
// patchStrategy retainKeys: switching RollingUpdate→Recreate drops rollingUpdate in one patch.

import type { StructSchema } from "../schema.js";
import {
  apps,
  bool,
  conditionFields,
  int,
  intOrString,
  META,
  mergeList,
  objectEnvelope,
  ref,
  str,
  struct,
} from "./build.js";
import { CORE } from "./core-v1.js";

const A = {
  Deployment: apps("Deployment"),
  DeploymentSpec: apps("DeploymentSpec"),
  DeploymentStatus: apps("DeploymentStatus"),
  DeploymentStrategy: apps("DeploymentStrategy"),
  RollingUpdateDeployment: apps("RollingUpdateDeployment"),
  DeploymentCondition: apps("DeploymentCondition"),
  ReplicaSet: apps("ReplicaSet"),
  ReplicaSetSpec: apps("ReplicaSetSpec"),
  ReplicaSetStatus: apps("ReplicaSetStatus"),
  ReplicaSetCondition: apps("ReplicaSetCondition"),
} as const;

export const APPS_V1: readonly StructSchema[] = [
  struct(A.Deployment, { ...objectEnvelope(), spec: ref(A.DeploymentSpec), status: ref(A.DeploymentStatus) }),
  struct(
    A.DeploymentSpec,
    {
      replicas: int,
      selector: ref(META.LabelSelector),
      template: ref(CORE.PodTemplateSpec),
      strategy: ref(A.DeploymentStrategy, "retainKeys"),
      minReadySeconds: int,
      revisionHistoryLimit: int,
      paused: bool,
      progressDeadlineSeconds: int,
    },
    ["selector", "template"],
  ),
  struct(A.DeploymentStrategy, { type: str, rollingUpdate: ref(A.RollingUpdateDeployment) }),
  struct(A.RollingUpdateDeployment, { maxUnavailable: intOrString, maxSurge: intOrString }),
  struct(A.DeploymentStatus, {
    observedGeneration: int,
    replicas: int,
    updatedReplicas: int,
    readyReplicas: int,
    availableReplicas: int,
    unavailableReplicas: int,
    terminatingReplicas: int,
    conditions: mergeList(ref(A.DeploymentCondition), "type"),
    collisionCount: int,
  }),
  struct(A.DeploymentCondition, conditionFields("lastUpdateTime", "lastTransitionTime")),
  struct(A.ReplicaSet, { ...objectEnvelope(), spec: ref(A.ReplicaSetSpec), status: ref(A.ReplicaSetStatus) }),
  struct(
    A.ReplicaSetSpec,
    {
      replicas: int,
      minReadySeconds: int,
      selector: ref(META.LabelSelector),
      template: ref(CORE.PodTemplateSpec),
    },
    ["selector"],
  ),
  struct(A.ReplicaSetStatus, {
    replicas: int,
    fullyLabeledReplicas: int,
    readyReplicas: int,
    availableReplicas: int,
    terminatingReplicas: int,
    observedGeneration: int,
    conditions: mergeList(ref(A.ReplicaSetCondition), "type"),
  }),
  struct(A.ReplicaSetCondition, conditionFields("lastTransitionTime")),
];
