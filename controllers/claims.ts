// Claiming, as Kubernetes' controller_ref_manager.go: which objects a controller owns. It keeps
// what it controls and still selects, adopts matching orphans, releases what it stopped selecting;
// an object has at most one controller. Used by the ReplicaSet controller (pods) and the Deployment
// controller (ReplicaSets).

import type { KubeObject, LabelSelector, ResourceType } from "../api/index.js";
import { labelMatcherFromSelector } from "../api/index.js";
import { isNotFound, type RestClient } from "../client/index.js";
import { controllerRef, ownerRefTo } from "./pods.js";

export interface ClaimPlan<T extends KubeObject> {
  /** Objects controlled by the owner that still match its selector. */
  owned: T[];
  /** Orphans that match: get an owner reference to the owner. */
  adopt: T[];
  /** Controlled objects that no longer match: lose the owner reference. */
  release: T[];
}

/**
 * ClaimPods / ClaimReplicaSets: an owner being deleted neither adopts nor releases; objects being
 * deleted are never adopted. An empty selector matches nothing here (validation refuses one;
 * matching every object in a namespace would be a disaster).
 */
export function planClaims<T extends KubeObject>(
  owner: KubeObject & { spec?: { selector?: LabelSelector } },
  candidates: T[],
): ClaimPlan<T> {
  const matcher = labelMatcherFromSelector(owner.spec?.selector);
  const matches = (o: T) => !matcher.empty && matcher.matches(o.metadata.labels ?? {});
  const deleting = Boolean(owner.metadata.deletionTimestamp);
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  for (const obj of candidates) {
    const ref = controllerRef(obj);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches(obj) || deleting) plan.owned.push(obj);
      else plan.release.push(obj);
      continue;
    }
    if (deleting || obj.metadata.deletionTimestamp || !matches(obj)) continue;
    plan.adopt.push(obj);
  }
  return plan;
}

/**
 * Carries a claim plan out: re-reads the owner first (canAdopt: still there, same uid, not being
 * deleted), then adds or removes the controller reference with compare-and-swap updates. Returns
 * the adopted objects as stored.
 */
export async function applyClaims<T extends KubeObject>(
  client: RestClient,
  owner: { resource: ResourceType; apiVersion: string; kind: string },
  obj: KubeObject,
  childResource: ResourceType,
  plan: Pick<ClaimPlan<T>, "adopt" | "release">,
): Promise<T[]> {
  const fresh = await client.get(owner.resource, obj.metadata.name ?? "", {
    namespace: obj.metadata.namespace,
  });
  if (fresh.metadata.uid !== obj.metadata.uid || fresh.metadata.deletionTimestamp) return [];
  const uid = obj.metadata.uid;
  const write = async (next: T) => {
    try {
      return await client.update(childResource, next);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return undefined;
    }
  };
  const adopted: T[] = [];
  for (const child of plan.adopt) {
    const next = structuredClone(child);
    next.metadata.ownerReferences = [
      ...(child.metadata.ownerReferences ?? []),
      ownerRefTo(obj, owner.apiVersion, owner.kind),
    ];
    const stored = await write(next);
    if (stored) adopted.push(stored);
  }
  for (const child of plan.release) {
    const next = structuredClone(child);
    next.metadata.ownerReferences = child.metadata.ownerReferences?.filter((r) => r.uid !== uid);
    await write(next);
  }
  return adopted;
}
