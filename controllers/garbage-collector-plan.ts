// The garbage collector's decisions (Kubernetes' pkg/controller/garbagecollector), as pure
// functions of an object and what is known about its owners or dependents:
//
//   an owner being deleted with the "orphan" finalizer      strip its reference from every dependent, then drop the finalizer
//   an owner being deleted with "foregroundDeletion"        delete dependents (foreground too); drop the finalizer once
//                                                           no dependent with blockOwnerDeletion is left
//   a dependent whose owners are all gone                   delete it (background)
//   a dependent with some owners gone                       drop the dangling references

import type { KubeObject, OwnerReference } from "../api/index.js";

export const ORPHAN_FINALIZER = "orphan";
export const FOREGROUND_FINALIZER = "foregroundDeletion";

export type OwnerPlan =
  | { kind: "none" }
  | { kind: "orphan"; dependents: KubeObject[] }
  | { kind: "deleteDependents"; dependents: KubeObject[] }
  | { kind: "waitForDependents" }
  | { kind: "removeFinalizer"; finalizer: string };

/** What to do for an object that is being deleted, given its dependents (objects naming it as owner). */
export function planOwner(owner: KubeObject, dependents: KubeObject[]): OwnerPlan {
  const finalizers = owner.metadata.finalizers ?? [];
  if (!owner.metadata.deletionTimestamp) return { kind: "none" };
  const uid = owner.metadata.uid;
  const naming = dependents.filter((d) => d.metadata.ownerReferences?.some((r) => r.uid === uid));
  if (finalizers.includes(ORPHAN_FINALIZER)) {
    if (naming.length > 0) return { kind: "orphan", dependents: naming };
    return { kind: "removeFinalizer", finalizer: ORPHAN_FINALIZER };
  }
  if (finalizers.includes(FOREGROUND_FINALIZER)) {
    const toDelete = naming.filter((d) => !d.metadata.deletionTimestamp);
    if (toDelete.length > 0) return { kind: "deleteDependents", dependents: toDelete };
    const blocking = naming.some((d) =>
      d.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion),
    );
    if (blocking) return { kind: "waitForDependents" };
    return { kind: "removeFinalizer", finalizer: FOREGROUND_FINALIZER };
  }
  return { kind: "none" };
}

export type DependentPlan =
  | { kind: "none" }
  | { kind: "delete" }
  | { kind: "removeReferences"; dangling: OwnerReference[] };

/** What to do for an object with owner references, given which owners exist (by uid). */
export function planDependent(obj: KubeObject, ownerExists: (ref: OwnerReference) => boolean): DependentPlan {
  const refs = obj.metadata.ownerReferences ?? [];
  if (refs.length === 0 || obj.metadata.deletionTimestamp) return { kind: "none" };
  const dangling = refs.filter((r) => !ownerExists(r));
  if (dangling.length === 0) return { kind: "none" };
  if (dangling.length === refs.length) return { kind: "delete" };
  return { kind: "removeReferences", dangling };
}
