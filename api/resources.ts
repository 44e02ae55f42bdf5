// The registry of resource types the API serves: names as discovery shows them, scope, short names,
// subresources, the schema root, and the field-selector labels each supports. Everything that must
// agree about a resource (routing, storage keys, discovery, OpenAPI, field selectors) reads it here.

import type { KubeObject } from "./meta.js";

export type Subresource = "status" | "scale" | "log" | "exec" | "attach" | "binding" | "eviction";

export interface ResourceType {
  /** API group, "" for the core group. */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural lower-case name used in paths: "pods". */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  subresources: readonly Subresource[];
  /** Root struct of the schema catalog. */
  schema: string;
  /** Field-selector labels beyond metadata.name / metadata.namespace (Kubernetes' per-kind set). */
  fieldLabels: Readonly<Record<string, (obj: KubeObject) => string | undefined>>;
}

export function apiVersionOf(r: Pick<ResourceType, "group" | "version">): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** "pods", "deployments.apps": how Kubernetes names a resource in messages. */
export function qualifiedResource(r: Pick<ResourceType, "group" | "plural">): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

const get =
  (...path: string[]) =>
  (obj: KubeObject): string | undefined => {
    let cur: unknown = obj;
    for (const p of path) {
      if (cur === null || typeof cur !== "object") return undefined;
      cur = (cur as Record<string, unknown>)[p];
    }
    if (cur === undefined || cur === null) return "";
    return String(cur);
  };

const core = { group: "", version: "v1" } as const;

export const RESOURCES: readonly ResourceType[] = [
  {
    ...core,
    kind: "Pod",
    listKind: "PodList",
    plural: "pods",
    singular: "pod",
    namespaced: true,
    shortNames: ["po"],
    categories: ["all"],
    subresources: ["status", "log", "exec", "attach", "binding", "eviction"],
    schema: "io.k8s.api.core.v1.Pod",
    fieldLabels: {
      "spec.nodeName": get("spec", "nodeName"),
      "spec.restartPolicy": get("spec", "restartPolicy"),
      "spec.schedulerName": get("spec", "schedulerName"),
      "spec.serviceAccountName": get("spec", "serviceAccountName"),
      "spec.hostNetwork": (o) =>
        String(Boolean((o.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork)),
      "status.phase": get("status", "phase"),
      "status.podIP": get("status", "podIP"),
      "status.nominatedNodeName": get("status", "nominatedNodeName"),
    },
  },
  {
    ...core,
    kind: "Node",
    listKind: "NodeList",
    plural: "nodes",
    singular: "node",
    namespaced: false,
    shortNames: ["no"],
    categories: [],
    subresources: ["status"],
    schema: "io.k8s.api.core.v1.Node",
    fieldLabels: {
      "spec.unschedulable": (o) =>
        String(Boolean((o.spec as { unschedulable?: boolean } | undefined)?.unschedulable)),
    },
  },
  {
    ...core,
    kind: "Namespace",
    listKind: "NamespaceList",
    plural: "namespaces",
    singular: "namespace",
    namespaced: false,
    shortNames: ["ns"],
    categories: [],
    subresources: ["status"],
    schema: "io.k8s.api.core.v1.Namespace",
    fieldLabels: { "status.phase": get("status", "phase") },
  },
  {
    ...core,
    kind: "Event",
    listKind: "EventList",
    plural: "events",
    singular: "event",
    namespaced: true,
    shortNames: ["ev"],
    categories: [],
    subresources: [],
    schema: "io.k8s.api.core.v1.Event",
    fieldLabels: {
      "involvedObject.kind": get("involvedObject", "kind"),
      "involvedObject.namespace": get("involvedObject", "namespace"),
      "involvedObject.name": get("involvedObject", "name"),
      "involvedObject.uid": get("involvedObject", "uid"),
      "involvedObject.apiVersion": get("involvedObject", "apiVersion"),
      "involvedObject.resourceVersion": get("involvedObject", "resourceVersion"),
      "involvedObject.fieldPath": get("involvedObject", "fieldPath"),
      reason: get("reason"),
      reportingComponent: get("reportingComponent"),
      source: get("source", "component"),
      type: get("type"),
    },
  },
  {
    ...core,
    kind: "ConfigMap",
    listKind: "ConfigMapList",
    plural: "configmaps",
    singular: "configmap",
    namespaced: true,
    shortNames: ["cm"],
    categories: [],
    subresources: [],
    schema: "io.k8s.api.core.v1.ConfigMap",
    fieldLabels: {},
  },
  {
    ...core,
    kind: "Secret",
    listKind: "SecretList",
    plural: "secrets",
    singular: "secret",
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: [],
    schema: "io.k8s.api.core.v1.Secret",
    fieldLabels: { type: get("type") },
  },
  {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    listKind: "DeploymentList",
    plural: "deployments",
    singular: "deployment",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: ["status", "scale"],
    schema: "io.k8s.api.apps.v1.Deployment",
    fieldLabels: {},
  },
  {
    group: "apps",
    version: "v1",
    kind: "ReplicaSet",
    listKind: "ReplicaSetList",
    plural: "replicasets",
    singular: "replicaset",
    namespaced: true,
    shortNames: ["rs"],
    categories: ["all"],
    subresources: ["status", "scale"],
    schema: "io.k8s.api.apps.v1.ReplicaSet",
    fieldLabels: { "status.replicas": get("status", "replicas") },
  },
  {
    group: "coordination.k8s.io",
    version: "v1",
    kind: "Lease",
    listKind: "LeaseList",
    plural: "leases",
    singular: "lease",
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: [],
    schema: "io.k8s.api.coordination.v1.Lease",
    fieldLabels: {},
  },
];

/** Finds a resource by group and plural ("apps", "deployments"). */
export function resourceFor(group: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.plural === plural);
}

/** Finds a resource by apiVersion and kind ("apps/v1", "Deployment"). */
export function resourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

/** The value of a field-selector label on an object, or undefined when the resource does not support it. */
export function fieldValue(r: ResourceType, obj: KubeObject, label: string): string | undefined {
  if (label === "metadata.name") return obj.metadata?.name ?? "";
  if (label === "metadata.namespace") return obj.metadata?.namespace ?? "";
  const getter = r.fieldLabels[label];
  return getter ? getter(obj) : undefined;
}

export function supportsFieldLabel(r: ResourceType, label: string): boolean {
  return label === "metadata.name" || label === "metadata.namespace" || label in r.fieldLabels;
}
