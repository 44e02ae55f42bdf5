// Deployment controller (Kubernetes' pkg/controller/deployment): rolls a Deployment's pod template
// out through ReplicaSets named by its pod-template-hash. reconcile(key) reads the Deployment and
// the ReplicaSets it controls from the cache, asks deployment-plan.ts for this sync's actions, then
// carries them out: create/scale/delete ReplicaSets, the revision annotation, status.
//
// Same order as every controller file: options, the class (constructor wires informers to the
// queue; reconcile(key) decides with the pure planner; private methods carry the plan out), helpers.

import type { Deployment, Pod, ReplicaSet } from "../api/index.js";
import {
  type Controller,
  type Informer,
  isAlreadyExists,
  isConflict,
  isNotFound,
  NAMESPACE_INDEX,
  objectKey,
} from "../client/index.js";
import { applyClaims, planClaims } from "./claims.js";
import {
  CONTROLLER_UID_INDEX,
  type ControllerContext,
  DEPLOYMENTS,
  REPLICASETS,
  type Recorder,
  recorderFor,
  runnerFor,
} from "./context.js";
import { type DeploymentAction, planDeployment } from "./deployment-plan.js";
import { REVISION, sameJSON, templatesEqual } from "./deployment-util.js";
import { controllerRef, isPodTerminal } from "./pods.js";

export interface DeploymentControllerOptions {
  workers?: number;
}

export class DeploymentController {
  static readonly controllerName = "deployment";
  readonly controller: Controller;
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly events: Recorder;

  constructor(
    private readonly ctx: ControllerContext,
    opts: DeploymentControllerOptions = {},
  ) {
    this.controller = runnerFor(
      ctx,
      DeploymentController.controllerName,
      (key) => this.reconcile(key),
      opts.workers ?? 2,
    );
    this.events = recorderFor(ctx, DEPLOYMENTS);
    this.deployments = ctx.informers.deployments();
    this.replicaSets = ctx.informers.replicaSets();
    this.pods = ctx.informers.pods();
    this.deployments.addEventHandler({
      onAdd: (d) => this.controller.enqueue(objectKey(d)),
      onUpdate: (_, d) => this.controller.enqueue(objectKey(d)),
      onDelete: (d) => this.controller.enqueue(objectKey(d)),
    });
    const enqueueOwner = (rs: ReplicaSet) => {
      const ref = controllerRef(rs);
      if (ref?.kind === "Deployment") this.controller.enqueue(`${rs.metadata.namespace}/${ref.name}`);
    };
    this.replicaSets.addEventHandler({
      onAdd: enqueueOwner,
      onUpdate: (old, rs) => {
        if (old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
        enqueueOwner(old);
        enqueueOwner(rs);
      },
      onDelete: enqueueOwner,
    });
    // Recreate waits for old pods to be gone: their deletion must wake the Deployment up.
    this.pods.addEventHandler({
      onDelete: (pod) => {
        const ref = controllerRef(pod);
        if (ref?.kind !== "ReplicaSet") return;
        const rs = this.replicaSets.store.get(`${pod.metadata.namespace}/${ref.name}`);
        if (rs) enqueueOwner(rs);
      },
    });
  }

  async reconcile(key: string): Promise<{ requeueAfterMs?: number } | undefined> {
    const d = this.deployments.store.get(key);
    if (!d) return;
    const selector = d.spec?.selector;
    if (!selector || (!selector.matchLabels && !selector.matchExpressions?.length)) {
      // An empty selector would select every pod in the namespace: refuse to act on it.
      this.events.event(
        d,
        "Warning",
        "SelectingAll",
        "This deployment is selecting all pods. A non-empty selector is required.",
      );
      return;
    }
    const claims = planClaims(d, this.replicaSets.store.byIndex(NAMESPACE_INDEX, d.metadata.namespace ?? ""));
    const replicaSets = [...claims.owned];
    if (claims.adopt.length || claims.release.length) {
      const owner = { resource: DEPLOYMENTS, apiVersion: "apps/v1", kind: "Deployment" };
      replicaSets.push(...(await applyClaims(this.ctx.client, owner, d, REPLICASETS, claims)));
    }
    const plan = planDeployment({
      deployment: d,
      replicaSets,
      oldPodsRunning: this.oldPodsRunning(d, replicaSets),
      now: this.ctx.clock.now(),
    });
    for (const action of plan.actions) await this.apply(d, action);

    let current = d;
    if (plan.revision !== undefined) {
      const next = structuredClone(d);
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [REVISION]: plan.revision };
      current = await this.ctx.client.update(DEPLOYMENTS, next);
    }
    if (!sameJSON(plan.status, d.status ?? {})) {
      try {
        await this.ctx.client.updateStatus(DEPLOYMENTS, { ...current, status: plan.status });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return plan.requeueAfterMs === undefined ? undefined : { requeueAfterMs: plan.requeueAfterMs };
  }

  private async apply(d: Deployment, action: DeploymentAction): Promise<void> {
    const { client } = this.ctx;
    const recorder = this.events;
    switch (action.kind) {
      case "create":
        try {
          await client.create(REPLICASETS, action.rs);
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          await this.onNameTaken(d, action.rs);
          return;
        }
        recorder.event(
          d,
          "Normal",
          "ScalingReplicaSet",
          `Scaled up replica set ${action.rs.metadata.name} from 0 to ${action.rs.spec?.replicas ?? 0}`,
        );
        return;
      case "update":
        await client.update(REPLICASETS, action.rs);
        if (action.from !== action.to) {
          const direction = action.to > action.from ? "up" : "down";
          recorder.event(
            d,
            "Normal",
            "ScalingReplicaSet",
            `Scaled ${direction} replica set ${action.rs.metadata.name} from ${action.from} to ${action.to}`,
          );
        }
        return;
      case "delete":
        try {
          await client.delete(REPLICASETS, action.rs.metadata.name ?? "", {
            namespace: action.rs.metadata.namespace,
            options: { propagationPolicy: "Background", preconditions: { uid: action.rs.metadata.uid } },
          });
        } catch (err) {
          if (!isNotFound(err) && !isConflict(err)) throw err;
        }
        return;
    }
  }

  /**
   * The ReplicaSet name for this template is taken. Ours with the same template: the cache was
   * behind, nothing to do. Anything else is a hash collision: bump status.collisionCount so the next
   * sync hashes to another name (as Kubernetes does), and retry.
   */
  private async onNameTaken(d: Deployment, rs: ReplicaSet): Promise<void> {
    const existing = await this.ctx.client.get<ReplicaSet>(REPLICASETS, rs.metadata.name ?? "", {
      namespace: rs.metadata.namespace,
    });
    if (
      controllerRef(existing)?.uid === d.metadata.uid &&
      templatesEqual(existing.spec?.template, d.spec?.template)
    ) {
      return;
    }
    const fresh = await this.ctx.client.get<Deployment>(DEPLOYMENTS, d.metadata.name ?? "", {
      namespace: d.metadata.namespace,
    });
    fresh.status = { ...fresh.status, collisionCount: (fresh.status?.collisionCount ?? 0) + 1 };
    await this.ctx.client.updateStatus(DEPLOYMENTS, fresh);
    throw new Error(
      `replica set name ${rs.metadata.name} collides with another object; collisionCount bumped`,
    );
  }

  /** Recreate's oldPodsRunning: any pod of an old ReplicaSet not finished (terminating ones count). */
  private oldPodsRunning(d: Deployment, replicaSets: ReplicaSet[]): boolean {
    if (d.spec?.strategy?.type !== "Recreate") return false;
    return replicaSets
      .filter((rs) => !templatesEqual(rs.spec?.template, d.spec?.template))
      .some((rs) =>
        this.pods.store.byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid ?? "").some((p) => !isPodTerminal(p)),
      );
  }
}
