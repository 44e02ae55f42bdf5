// apps/v1 Deployment and ReplicaSet, and autoscaling/v1 Scale (the /scale subresource of both),
// as in k8s.io/api v1.32, limited to the fields k8ts supports.

import type { IntOrString, PodTemplateSpec } from "./core-v1.js";
import type { Condition, KubeObject, LabelSelector, ObjectMeta } from "./meta.js";

export interface RollingUpdateDeployment {
  maxUnavailable?: IntOrString;
  maxSurge?: IntOrString;
}

/** A union keyed by type; SMP keeps only the keys named by $retainKeys (patchStrategy retainKeys). */
export interface DeploymentStrategy {
  type?: "Recreate" | "RollingUpdate";
  rollingUpdate?: RollingUpdateDeployment;
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: DeploymentStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  terminatingReplicas?: number;
  conditions?: Condition[];
  collisionCount?: number;
}

export interface Deployment extends KubeObject {
  apiVersion?: "apps/v1";
  kind?: "Deployment";
  metadata: ObjectMeta;
  spec?: DeploymentSpec;
  status?: DeploymentStatus;
}

export interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector: LabelSelector;
  template?: PodTemplateSpec;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  terminatingReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

export interface ReplicaSet extends KubeObject {
  apiVersion?: "apps/v1";
  kind?: "ReplicaSet";
  metadata: ObjectMeta;
  spec?: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

/** autoscaling/v1 Scale: what GET/PUT .../scale exchange. status.selector is the formatted label selector. */
export interface Scale extends KubeObject {
  apiVersion?: "autoscaling/v1";
  kind?: "Scale";
  metadata: ObjectMeta;
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}
