// ReplicaSet controller (Kubernetes' pkg/controller/replicaset): keeps `spec.replicas` pods that
// match the selector and carry an owner reference to the ReplicaSet. Level-triggered: every
// reconcile claims pods, compares, then creates (slow start) or deletes (least valuable first), and
// writes status. Expectations keep it from acting twice on writes its cache has not seen yet.
//
// Every controller file reads in the same order: options, the class (constructor wires informers to
// the queue; reconcile(key) decides with the pure planners of <name>-plan.ts; private methods carry
// the plan out), then small helpers.

import type { Pod, ReplicaSet } from "../api/index.js";
import { labelMatcherFromSelector } from "../api/index.js";
import {
  type Controller,
  type Informer,
  isConflict,
  isNotFound,
  NAMESPACE_INDEX,
  objectKey,
} from "../client/index.js";
import { applyClaims, planClaims } from "./claims.js";
import {
  type ControllerContext,
  PODS,
  REPLICASETS,
  type Recorder,
  recorderFor,
  runnerFor,
} from "./context.js";
import { Expectations } from "./expectations.js";
import { controllerRef, ownerRefTo } from "./pods.js";
import { planReplicas, planStatus, statusChanged } from "./replicaset-plan.js";
import { slowStartBatch } from "./slow-start.js";

export interface ReplicaSetControllerOptions {
  workers?: number;
  /** First slow-start batch (Kubernetes: 1). */
  initialBatch?: number;
}

export class ReplicaSetController {
  static readonly controllerName = "replicaset";
  readonly controller: Controller;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly expectations: Expectations;
  private readonly initialBatch: number;
  private readonly events: Recorder;

  constructor(
    private readonly ctx: ControllerContext,
    opts: ReplicaSetControllerOptions = {},
  ) {
    this.initialBatch = opts.initialBatch ?? 1;
    this.events = recorderFor(ctx, REPLICASETS);
    this.expectations = new Expectations(ctx.clock);
    this.controller = runnerFor(
      ctx,
      ReplicaSetController.controllerName,
      (key) => this.reconcile(key),
      opts.workers ?? 2,
    );
    this.replicaSets = ctx.informers.replicaSets();
    this.pods = ctx.informers.pods();
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.controller.enqueue(objectKey(rs)),
      onUpdate: (_, rs) => this.controller.enqueue(objectKey(rs)),
      onDelete: (rs) => {
        this.expectations.forget(objectKey(rs));
        this.controller.enqueue(objectKey(rs));
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => {
        const owner = this.ownerKey(pod);
        if (owner) this.expectations.creationObserved(owner);
        this.enqueueFor(pod);
      },
      onUpdate: (old, pod) => {
        if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) {
          const owner = this.ownerKey(pod);
          if (owner) this.expectations.deletionObserved(owner, objectKey(pod));
        }
        if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
        this.enqueueFor(old);
        this.enqueueFor(pod);
      },
      onDelete: (pod) => {
        const owner = this.ownerKey(pod);
        if (owner) this.expectations.deletionObserved(owner, objectKey(pod));
        this.enqueueFor(pod);
      },
    });
  }

  async reconcile(key: string): Promise<{ requeueAfterMs?: number } | undefined> {
    const rs = this.replicaSets.store.get(key);
    if (!rs) {
      this.expectations.forget(key);
      return;
    }
    const now = this.ctx.clock.now();
    const namespace = rs.metadata.namespace ?? "default";
    const candidates = this.pods.store
      .byIndex(NAMESPACE_INDEX, namespace)
      .filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
    const claims = planClaims(rs, candidates);
    const owned = [...claims.owned];
    if (claims.adopt.length || claims.release.length) {
      const owner = { resource: REPLICASETS, apiVersion: "apps/v1", kind: "ReplicaSet" };
      owned.push(...(await applyClaims(this.ctx.client, owner, rs, PODS, claims)));
    }

    let manageError: string | undefined;
    if (this.expectations.satisfied(key)) {
      const plan = planReplicas(rs, owned, now);
      if (plan.create > 0) manageError = await this.createPods(rs, key, plan.create);
      else if (plan.delete.length > 0) manageError = await this.deletePods(rs, key, plan.delete);
    } else {
      manageError = rs.status?.conditions?.find((c) => c.type === "ReplicaFailure")?.message;
    }

    const { status, requeueAfterMs } = planStatus(rs, owned, now, manageError);
    if (statusChanged(rs.status, status)) await this.writeStatus(rs, status);
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  }

  private async createPods(rs: ReplicaSet, key: string, count: number): Promise<string | undefined> {
    this.expectations.expect(key, count, []);
    const template = rs.spec?.template ?? {};
    const body: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [ownerRefTo(rs, "apps/v1", "ReplicaSet")],
      },
      spec: structuredClone(template.spec ?? { containers: [] }),
    };
    const result = await slowStartBatch(count, this.initialBatch, async () => {
      const pod = await this.ctx.client.create(PODS, body);
      this.events.event(rs, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
    });
    const skipped = count - result.succeeded;
    if (skipped > 0) this.expectations.lowerAdds(key, skipped);
    if (result.error === undefined) return undefined;
    const message = errorMessage(result.error);
    this.events.event(rs, "Warning", "FailedCreate", `Error creating: ${message}`);
    return message;
  }

  private async deletePods(rs: ReplicaSet, key: string, pods: Pod[]): Promise<string | undefined> {
    this.expectations.expect(
      key,
      0,
      pods.map((p) => objectKey(p)),
    );
    const results = await Promise.allSettled(
      pods.map(async (pod) => {
        try {
          await this.ctx.client.delete(PODS, pod.metadata.name ?? "", { namespace: pod.metadata.namespace });
          this.events.event(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          // Gone already: that is what we wanted; it will not be observed again.
          this.expectations.deletionObserved(key, objectKey(pod));
          if (isNotFound(err)) return;
          this.events.event(rs, "Warning", "FailedDelete", `Error deleting: ${errorMessage(err)}`);
          throw err;
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    return failed ? errorMessage(failed.reason) : undefined;
  }

  private async writeStatus(rs: ReplicaSet, status: ReplicaSet["status"]): Promise<void> {
    try {
      await this.ctx.client.updateStatus(REPLICASETS, { ...rs, status });
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
      // Our cache was behind: write the counts onto the current object once more.
      const fresh = await this.ctx.client.get<ReplicaSet>(REPLICASETS, rs.metadata.name ?? "", {
        namespace: rs.metadata.namespace,
      });
      if (fresh.metadata.uid !== rs.metadata.uid) return;
      await this.ctx.client.updateStatus(REPLICASETS, { ...fresh, status });
    }
  }

  /** The key of the ReplicaSet controlling `pod`, if it is one we know (uid checked). */
  private ownerKey(pod: Pod): string | undefined {
    const ref = controllerRef(pod);
    if (ref?.kind !== "ReplicaSet") return undefined;
    const key = `${pod.metadata.namespace}/${ref.name}`;
    const rs = this.replicaSets.store.get(key);
    return rs && rs.metadata.uid === ref.uid ? key : undefined;
  }

  /** A pod's controller, or for an orphan every ReplicaSet whose selector matches it (to adopt it). */
  private enqueueFor(pod: Pod): void {
    const ref = controllerRef(pod);
    if (ref) {
      if (ref.kind === "ReplicaSet") this.controller.enqueue(`${pod.metadata.namespace}/${ref.name}`);
      return;
    }
    for (const rs of this.replicaSets.store.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? "")) {
      const m = labelMatcherFromSelector(rs.spec?.selector);
      if (!m.empty && m.matches(pod.metadata.labels ?? {})) this.controller.enqueue(objectKey(rs));
    }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
