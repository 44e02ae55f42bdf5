// meta/v1 structs shared by every object (k8s.io/apimachinery/pkg/apis/meta/v1/types.go).

import type { StructSchema } from "../schema.js";
import {
  anyJSON,
  bool,
  int,
  listOf,
  META,
  mergeList,
  oneOf,
  ref,
  str,
  stringList,
  stringMap,
  struct,
  time,
} from "./build.js";

export const META_V1: readonly StructSchema[] = [
  struct(META.ObjectMeta, {
    name: str,
    generateName: str,
    namespace: str,
    selfLink: str,
    uid: str,
    resourceVersion: str,
    generation: int,
    creationTimestamp: time,
    deletionTimestamp: time,
    deletionGracePeriodSeconds: int,
    labels: stringMap,
    annotations: stringMap,
    ownerReferences: mergeList(ref(META.OwnerReference), "uid"),
    finalizers: mergeList(str),
    managedFields: listOf(ref(META.ManagedFieldsEntry)),
  }),
  struct(
    META.OwnerReference,
    { apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool },
    ["apiVersion", "kind", "name", "uid"],
  ),
  struct(META.ManagedFieldsEntry, {
    manager: str,
    operation: oneOf("Apply", "Update"),
    apiVersion: str,
    time: time,
    fieldsType: str,
    fieldsV1: anyJSON,
    subresource: str,
  }),
  struct(META.ListMeta, { selfLink: str, resourceVersion: str, continue: str, remainingItemCount: int }),
  struct(META.LabelSelector, {
    matchLabels: stringMap,
    matchExpressions: listOf(ref(META.LabelSelectorRequirement)),
  }),
  struct(META.LabelSelectorRequirement, { key: str, operator: str, values: stringList }, ["key", "operator"]),
  struct(META.Preconditions, { uid: str, resourceVersion: str }),
  struct(META.DeleteOptions, {
    kind: str,
    apiVersion: str,
    gracePeriodSeconds: int,
    preconditions: ref(META.Preconditions),
    orphanDependents: bool,
    propagationPolicy: str,
    dryRun: stringList,
    ignoreStoreReadErrorWithClusterBreakingPotential: bool,
  }),
];
