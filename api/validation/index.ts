// Validation entry points, one per write: create, update (create rules plus what may not change),
// and status update. Each returns every problem found as FieldErrors with Kubernetes' field paths
// and messages; an empty list means valid. The server applies defaults before calling these, and
// checks metadata.name/namespace/uid/creationTimestamp immutability itself.

import type { Deployment, ReplicaSet, Scale } from "../apps-v1.js";
import type { Lease } from "../coordination-v1.js";
import type { Binding, ConfigMap, Event, Namespace, Node, Pod, Secret } from "../core-v1.js";
import type { KubeObject } from "../meta.js";
import { RESOURCES } from "../resources.js";
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
} from "./config-data.js";
import type { FieldError } from "./field-error.js";
import { validateNode, validateNodeStatusUpdate, validateNodeUpdate } from "./node.js";
import { nameIsDNSSubdomain, validateObjectMeta } from "./object-meta.js";
import { validatePodCreate, validatePodStatusUpdate, validatePodUpdate } from "./pod.js";
import {
  validateBinding,
  validateEvent,
  validateLease,
  validateNamespace,
  validateScale,
} from "./small-kinds.js";
import {
  selectorImmutable,
  validateDeployment,
  validateReplicaSet,
  validateReplicaStatus,
} from "./workloads.js";

export type { FieldError, FieldErrorType } from "./field-error.js";

function genericMeta(kind: string, obj: KubeObject): FieldError[] {
  const namespaced = RESOURCES.find((r) => r.kind === kind)?.namespaced ?? true;
  return validateObjectMeta(obj.metadata, { namespaced, nameCheck: nameIsDNSSubdomain });
}

export function validateCreate(kind: string, obj: KubeObject): FieldError[] {
  switch (kind) {
    case "Pod":
      return validatePodCreate(obj as Pod);
    case "Deployment":
      return validateDeployment(obj as Deployment);
    case "ReplicaSet":
      return validateReplicaSet(obj as ReplicaSet);
    case "Node":
      return validateNode(obj as Node);
    case "Namespace":
      return validateNamespace(obj as Namespace);
    case "ConfigMap":
      return validateConfigMap(obj as ConfigMap);
    case "Secret":
      return validateSecret(obj as Secret);
    case "Event":
      return validateEvent(obj as Event);
    case "Lease":
      return validateLease(obj as Lease);
    case "Binding":
      return validateBinding(obj as Binding);
    case "Scale":
      return validateScale(obj as Scale);
    default:
      return genericMeta(kind, obj);
  }
}

export function validateUpdate(kind: string, obj: KubeObject, old: KubeObject): FieldError[] {
  switch (kind) {
    case "Pod":
      return validatePodUpdate(obj as Pod, old as Pod);
    case "Deployment":
    case "ReplicaSet": {
      const spec = (o: KubeObject) => (o as Deployment | ReplicaSet).spec;
      return [...validateCreate(kind, obj), ...selectorImmutable(spec(obj)?.selector, spec(old)?.selector)];
    }
    case "Node":
      return validateNodeUpdate(obj as Node, old as Node);
    case "ConfigMap":
      return validateConfigMapUpdate(obj as ConfigMap, old as ConfigMap);
    case "Secret":
      return validateSecretUpdate(obj as Secret, old as Secret);
    default:
      return validateCreate(kind, obj);
  }
}

/** Writes to the status subresource: metadata plus the kind's status rules (spec is the server's to keep). */
export function validateStatusUpdate(kind: string, obj: KubeObject, old: KubeObject): FieldError[] {
  switch (kind) {
    case "Pod":
      return validatePodStatusUpdate(obj as Pod, old as Pod);
    case "Node":
      return validateNodeStatusUpdate(obj as Node, old as Node);
    case "Deployment":
    case "ReplicaSet":
      return [
        ...genericMeta(kind, obj),
        ...validateReplicaStatus(
          (obj as Deployment | ReplicaSet).status as Parameters<typeof validateReplicaStatus>[0],
        ),
      ];
    default:
      return genericMeta(kind, obj);
  }
}
