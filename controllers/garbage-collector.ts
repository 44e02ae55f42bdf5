// Garbage collector (Kubernetes' pkg/controller/garbagecollector): deletes objects whose owners are
// gone (background propagation), and carries out the "orphan" and "foregroundDeletion" finalizers
// the API server puts on an owner for DeleteOptions.propagationPolicy Orphan and Foreground. The
// owner→dependents graph is the informers' owner-uid index over every collected resource. An owner
// missing from the cache is confirmed absent with a live GET before anything is deleted, so a cache
// that lags a new owner never costs its dependents.
//
// Keys are "<plural>.<group>|<namespace>/<name>". Same order as every controller file.

import type { KubeObject, OwnerReference, ResourceType } from "../api/index.js";
import { resourceFor, resourceForKind } from "../api/index.js";
import { type Controller, type Informer, isConflict, isNotFound, objectKey } from "../client/index.js";
import { type ControllerContext, OWNER_UID_INDEX, runnerFor, UID_INDEX } from "./context.js";
import { FOREGROUND_FINALIZER, planDependent, planOwner } from "./garbage-collector-plan.js";

/** The resources whose objects are collected and can be owners. */
export const COLLECTED: readonly [group: string, plural: string][] = [
  ["apps", "deployments"],
  ["apps", "replicasets"],
  ["", "pods"],
  ["", "configmaps"],
  ["", "secrets"],
];

export interface GarbageCollectorOptions {
  workers?: number;
}

export class GarbageCollector {
  static readonly controllerName = "garbagecollector";
  readonly controller: Controller;
  private readonly informers = new Map<string, { resource: ResourceType; informer: Informer<KubeObject> }>();

  constructor(
    private readonly ctx: ControllerContext,
    opts: GarbageCollectorOptions = {},
  ) {
    this.controller = runnerFor(
      ctx,
      GarbageCollector.controllerName,
      (key) => this.reconcile(key),
      opts.workers ?? 2,
    );
    for (const [group, plural] of COLLECTED) {
      const resource = resourceFor(group, plural);
      if (!resource) continue;
      const informer = ctx.informers.forResource<KubeObject>(resource);
      const id = resourceId(resource);
      this.informers.set(id, { resource, informer });
      const consider = (obj: KubeObject) => {
        if (obj.metadata.ownerReferences?.length || obj.metadata.deletionTimestamp) {
          this.controller.enqueue(`${id}|${objectKey(obj)}`);
        }
      };
      informer.addEventHandler({
        onAdd: consider,
        onUpdate: (old, obj) => {
          if (old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
          consider(obj);
          // An owner orphaning its dependents finishes when the last one stops naming it.
          const now = new Set((obj.metadata.ownerReferences ?? []).map((r) => r.uid));
          if (old.metadata.ownerReferences?.some((r) => !now.has(r.uid))) this.enqueueOwners(old);
        },
        onDelete: (obj) => {
          // Its dependents may now be garbage; an owner waiting on it (foreground) may be done.
          this.enqueueDependents(obj);
          this.enqueueOwners(obj);
        },
      });
    }
  }

  async reconcile(key: string): Promise<void> {
    const bar = key.indexOf("|");
    const entry = this.informers.get(key.slice(0, bar));
    if (!entry) return;
    const obj = entry.informer.store.get(key.slice(bar + 1));
    if (!obj) return;
    if (obj.metadata.deletionTimestamp) {
      await this.processOwner(entry.resource, obj);
      return;
    }
    const owners = new Map<string, boolean>();
    for (const ref of obj.metadata.ownerReferences ?? []) {
      owners.set(ref.uid, await this.ownerExists(obj.metadata.namespace, ref));
    }
    const plan = planDependent(obj, (ref) => owners.get(ref.uid) ?? true);
    switch (plan.kind) {
      case "none":
        return;
      case "delete":
        this.ctx.log({ level: "info", msg: "deleting object whose owners are gone", object: key });
        await this.deleteObject(entry.resource, obj, "Background");
        return;
      case "removeReferences": {
        const dangling = new Set(plan.dangling.map((r) => r.uid));
        await this.updateOwnerRefs(entry.resource, obj, (refs) => refs.filter((r) => !dangling.has(r.uid)));
        return;
      }
    }
  }

  private async processOwner(resource: ResourceType, owner: KubeObject): Promise<void> {
    const plan = planOwner(owner, this.dependentsOf(owner));
    switch (plan.kind) {
      case "none":
      case "waitForDependents":
        // Dependents' delete events queue the owner again.
        return;
      case "orphan":
        for (const dep of plan.dependents) {
          const r = this.resourceOf(dep);
          if (r)
            await this.updateOwnerRefs(r, dep, (refs) => refs.filter((x) => x.uid !== owner.metadata.uid));
        }
        return;
      case "deleteDependents":
        for (const dep of plan.dependents) {
          const r = this.resourceOf(dep);
          if (r) await this.deleteObject(r, dep, "Foreground");
        }
        return;
      case "removeFinalizer": {
        const next = structuredClone(owner);
        next.metadata.finalizers = (owner.metadata.finalizers ?? []).filter((f) => f !== plan.finalizer);
        try {
          await this.ctx.client.update(resource, next);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        if (plan.finalizer === FOREGROUND_FINALIZER) {
          this.ctx.log({ level: "info", msg: "foreground deletion done", object: objectKey(owner) });
        }
        return;
      }
    }
  }

  /** Is the owner there? The cache first; a miss is confirmed with the API server (uid compared). */
  private async ownerExists(namespace: string | undefined, ref: OwnerReference): Promise<boolean> {
    const resource = resourceForKind(ref.apiVersion, ref.kind);
    // An owner of a kind we do not know cannot be checked: leave the dependent alone.
    if (!resource) return true;
    const entry = this.informers.get(resourceId(resource));
    if (entry?.informer.store.byIndex(UID_INDEX, ref.uid).length) return true;
    try {
      const live = await this.ctx.client.get(resource, ref.name, {
        namespace: resource.namespaced ? namespace : undefined,
      });
      return live.metadata.uid === ref.uid;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private dependentsOf(owner: KubeObject): KubeObject[] {
    const uid = owner.metadata.uid;
    if (!uid) return [];
    return [...this.informers.values()].flatMap(({ informer }) =>
      informer.store.byIndex(OWNER_UID_INDEX, uid),
    );
  }

  private enqueueDependents(owner: KubeObject): void {
    for (const dep of this.dependentsOf(owner)) {
      const r = this.resourceOf(dep);
      if (r) this.controller.enqueue(`${resourceId(r)}|${objectKey(dep)}`);
    }
  }

  private enqueueOwners(obj: KubeObject): void {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const r = resourceForKind(ref.apiVersion, ref.kind);
      const owner = r && this.informers.get(resourceId(r))?.informer.store.byIndex(UID_INDEX, ref.uid)[0];
      if (r && owner) this.controller.enqueue(`${resourceId(r)}|${objectKey(owner)}`);
    }
  }

  private resourceOf(obj: KubeObject): ResourceType | undefined {
    for (const { resource, informer } of this.informers.values()) {
      if (informer.store.get(objectKey(obj)) === obj) return resource;
    }
    return undefined;
  }

  private async deleteObject(resource: ResourceType, obj: KubeObject, policy: "Background" | "Foreground") {
    try {
      await this.ctx.client.delete(resource, obj.metadata.name ?? "", {
        namespace: obj.metadata.namespace,
        options: { propagationPolicy: policy, preconditions: { uid: obj.metadata.uid } },
      });
    } catch (err) {
      // Gone already, or replaced by a namesake (uid precondition): nothing of ours to delete.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  private async updateOwnerRefs(
    resource: ResourceType,
    obj: KubeObject,
    change: (refs: OwnerReference[]) => OwnerReference[],
  ): Promise<void> {
    const next = structuredClone(obj);
    const refs = change(obj.metadata.ownerReferences ?? []);
    if (refs.length) next.metadata.ownerReferences = refs;
    else delete next.metadata.ownerReferences;
    try {
      await this.ctx.client.update(resource, next);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

function resourceId(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
