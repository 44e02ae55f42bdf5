// A small schema catalog for the patch tests: the slice of apps/v1 Deployment, core/v1 Node and
// meta/v1 that exercises every SMP rule, with Kubernetes' patchStrategy/patchMergeKey tags
// (kubectl-compat.md §5.4). Tests only; the real catalog lives in api/catalog/.

import type { FieldSchema, SchemaCatalog, StructSchema } from "../schema.js";

const str: FieldSchema = { type: "string" };
const int: FieldSchema = { type: "integer" };
const bool: FieldSchema = { type: "boolean" };
const ref = (name: string, patchStrategy?: "replace" | "retainKeys"): FieldSchema =>
  patchStrategy ? { type: "object", ref: name, patchStrategy } : { type: "object", ref: name };
const list = (items: FieldSchema): FieldSchema => ({ type: "array", items });
const mergeList = (items: FieldSchema, patchMergeKey?: string, retainKeys = false): FieldSchema => ({
  type: "array",
  items,
  patchStrategy: retainKeys ? "merge,retainKeys" : "merge",
  ...(patchMergeKey ? { patchMergeKey } : {}),
});
const stringMap: FieldSchema = { type: "map", values: str };

const meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";
const apps = "io.k8s.api.apps.v1.";
const core = "io.k8s.api.core.v1.";

const structs: StructSchema[] = [
  {
    name: `${meta}ObjectMeta`,
    fields: {
      name: str,
      namespace: str,
      uid: str,
      resourceVersion: str,
      generation: int,
      labels: stringMap,
      annotations: stringMap,
      finalizers: mergeList(str),
      ownerReferences: mergeList(ref(`${meta}OwnerReference`), "uid"),
    },
  },
  {
    name: `${meta}OwnerReference`,
    fields: { apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool },
  },
  {
    name: `${meta}LabelSelector`,
    fields: { matchLabels: stringMap, matchExpressions: list(ref(`${meta}LabelSelectorRequirement`)) },
  },
  { name: `${meta}LabelSelectorRequirement`, fields: { key: str, operator: str, values: list(str) } },
  {
    name: `${apps}Deployment`,
    fields: {
      apiVersion: str,
      kind: str,
      metadata: ref(`${meta}ObjectMeta`),
      spec: ref(`${apps}DeploymentSpec`),
      status: ref(`${apps}DeploymentStatus`),
    },
  },
  {
    name: `${apps}DeploymentSpec`,
    fields: {
      replicas: int,
      paused: bool,
      selector: ref(`${meta}LabelSelector`),
      template: ref(`${core}PodTemplateSpec`),
      strategy: ref(`${apps}DeploymentStrategy`, "retainKeys"),
    },
  },
  {
    name: `${apps}DeploymentStrategy`,
    fields: { type: str, rollingUpdate: ref(`${apps}RollingUpdateDeployment`) },
  },
  {
    name: `${apps}RollingUpdateDeployment`,
    fields: { maxSurge: { type: "int-or-string" }, maxUnavailable: { type: "int-or-string" } },
  },
  {
    name: `${apps}DeploymentStatus`,
    fields: {
      observedGeneration: int,
      replicas: int,
      conditions: mergeList(ref(`${apps}DeploymentCondition`), "type"),
    },
  },
  { name: `${apps}DeploymentCondition`, fields: { type: str, status: str, reason: str, message: str } },
  {
    name: `${core}PodTemplateSpec`,
    fields: { metadata: ref(`${meta}ObjectMeta`), spec: ref(`${core}PodSpec`) },
  },
  {
    name: `${core}PodSpec`,
    fields: {
      containers: mergeList(ref(`${core}Container`), "name"),
      initContainers: mergeList(ref(`${core}Container`), "name"),
      volumes: mergeList(ref(`${core}Volume`), "name", true),
      tolerations: list(ref(`${core}Toleration`)),
      nodeName: str,
    },
  },
  {
    name: `${core}Container`,
    fields: {
      name: str,
      image: str,
      imagePullPolicy: str,
      command: list(str),
      args: list(str),
      env: mergeList(ref(`${core}EnvVar`), "name"),
      ports: mergeList(ref(`${core}ContainerPort`), "containerPort"),
      volumeMounts: mergeList(ref(`${core}VolumeMount`), "mountPath"),
      resources: ref(`${core}ResourceRequirements`),
    },
  },
  { name: `${core}EnvVar`, fields: { name: str, value: str } },
  { name: `${core}ContainerPort`, fields: { containerPort: int, name: str, protocol: str } },
  { name: `${core}VolumeMount`, fields: { name: str, mountPath: str, readOnly: bool } },
  {
    name: `${core}ResourceRequirements`,
    fields: {
      limits: { type: "map", values: { type: "quantity" } },
      requests: { type: "map", values: { type: "quantity" } },
    },
  },
  {
    name: `${core}Volume`,
    fields: {
      name: str,
      emptyDir: ref(`${core}EmptyDirVolumeSource`),
      configMap: ref(`${core}ConfigMapVolumeSource`),
    },
  },
  { name: `${core}EmptyDirVolumeSource`, fields: { medium: str, sizeLimit: { type: "quantity" } } },
  { name: `${core}ConfigMapVolumeSource`, fields: { name: str, defaultMode: int } },
  { name: `${core}Toleration`, fields: { key: str, operator: str, value: str, effect: str } },
  {
    name: `${core}Node`,
    fields: { apiVersion: str, kind: str, metadata: ref(`${meta}ObjectMeta`), spec: ref(`${core}NodeSpec`) },
  },
  {
    name: `${core}NodeSpec`,
    fields: { unschedulable: bool, podCIDRs: mergeList(str), taints: list(ref(`${core}Taint`)) },
  },
  { name: `${core}Taint`, fields: { key: str, value: str, effect: str } },
];

export const TEST_CATALOG: SchemaCatalog = new Map(structs.map((s) => [s.name, s]));
export const DEPLOYMENT = `${apps}Deployment`;
export const NODE = `${core}Node`;
