// The Deployment controller's decisions as one pure function of the Deployment, the ReplicaSets it
// controls, whether old pods still run (Recreate) and the time; after Kubernetes'
// pkg/controller/deployment (sync.go, rolling.go, recreate.go, progress.go). One call plans one
// sync: the first phase that has work returns its actions, and the next sync (queued by the
// ReplicaSet updates those actions cause) plans the next phase. Level-triggered throughout.
//
//   paused or a scaling event  scale only (the one active ReplicaSet, or proportionally)
//   Recreate                   old ReplicaSets to 0 → wait for old pods to go → new ReplicaSet to replicas
//   RollingUpdate              new ReplicaSet up within maxSurge → old down within maxUnavailable
//   then                       history cleanup (revisionHistoryLimit) once complete; status and conditions

import type { Condition, Deployment, DeploymentStatus, ReplicaSet } from "../api/index.js";
import {
  copiedAnnotations,
  DESIRED_REPLICAS,
  fenceposts,
  MAX_REPLICAS,
  maxRevision,
  POD_TEMPLATE_HASH,
  podTemplateHash,
  REVISION,
  REVISION_HISTORY,
  revisionOf,
  templatesEqual,
} from "./deployment-util.js";
import { creationMs, ownerRefTo } from "./pods.js";
import { rfc3339 } from "./time.js";

export type DeploymentAction =
  | { kind: "create"; rs: ReplicaSet }
  /** PUT the ReplicaSet as given; `from`/`to` when its replicas change (a ScalingReplicaSet event). */
  | { kind: "update"; rs: ReplicaSet; from: number; to: number }
  | { kind: "delete"; rs: ReplicaSet };

export interface DeploymentPlan {
  actions: DeploymentAction[];
  /** The Deployment's own revision annotation, when it must change. */
  revision?: string;
  status: DeploymentStatus;
  /** When to look again without any event (progress deadline, paused conditions). */
  requeueAfterMs?: number;
}

export interface DeploymentView {
  deployment: Deployment;
  /** ReplicaSets the Deployment controls (controller reference uid). */
  replicaSets: ReplicaSet[];
  /** Recreate only: a pod of an old ReplicaSet is not finished (terminating ones included). */
  oldPodsRunning: boolean;
  now: number;
}

export const REASON = {
  newRSAvailable: "NewReplicaSetAvailable",
  rsUpdated: "ReplicaSetUpdated",
  newRSCreated: "NewReplicaSetCreated",
  foundNewRS: "FoundNewReplicaSet",
  timedOut: "ProgressDeadlineExceeded",
  paused: "DeploymentPaused",
  resumed: "DeploymentResumed",
  minAvailable: "MinimumReplicasAvailable",
  minUnavailable: "MinimumReplicasUnavailable",
} as const;

/** Plans one sync of a Deployment. */
export function planDeployment(view: DeploymentView): DeploymentPlan {
  return new Planner(view).plan();
}

const replicasOf = (rs: ReplicaSet) => rs.spec?.replicas ?? 0;
/** Pods that may still exist: the larger of what is asked and what is there (scale-downs lag). */
const podsOf = (rs: ReplicaSet) => Math.max(replicasOf(rs), rs.status?.replicas ?? 0);
/** Available pods that will stay: never more than asked for (a scale-down is already decided). */
const availableOf = (rs: ReplicaSet) => Math.min(replicasOf(rs), rs.status?.availableReplicas ?? 0);
const sum = (rss: ReplicaSet[], f: (rs: ReplicaSet) => number) => rss.reduce((n, rs) => n + f(rs), 0);
const byAge = (a: ReplicaSet, b: ReplicaSet) =>
  creationMs(a) - creationMs(b) || (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");

class Planner {
  private readonly d: Deployment;
  private readonly replicas: number;
  private readonly actions: DeploymentAction[] = [];
  /** Current view of every ReplicaSet, updated as actions are planned. */
  private readonly rss = new Map<string, ReplicaSet>();
  private newName: string | undefined;
  private created = false;

  constructor(private readonly view: DeploymentView) {
    this.d = view.deployment;
    this.replicas = this.d.spec?.replicas ?? 1;
    for (const rs of view.replicaSets) this.rss.set(rs.metadata.name ?? "", rs);
  }

  plan(): DeploymentPlan {
    this.findNewReplicaSet();
    if (this.d.metadata.deletionTimestamp) return this.finish();
    if (this.d.spec?.paused || this.isScalingEvent()) {
      this.scale();
      if (this.d.spec?.paused) this.cleanup();
      return this.finish();
    }
    if (this.d.spec?.strategy?.type === "Recreate") this.recreate();
    else this.rolling();
    return this.finish();
  }

  private get newRS(): ReplicaSet | undefined {
    return this.newName === undefined ? undefined : this.rss.get(this.newName);
  }

  private get oldRSs(): ReplicaSet[] {
    return [...this.rss.values()].filter((rs) => rs.metadata.name !== this.newName).sort(byAge);
  }

  private get all(): ReplicaSet[] {
    return [...this.rss.values()];
  }

  /**
   * FindNewReplicaSet + the revision sync: the oldest ReplicaSet whose template equals the
   * Deployment's is the new one; it gets the next revision when it is not already the newest (a
   * rollback re-uses an old ReplicaSet), remembering its earlier numbers in revision-history.
   */
  private findNewReplicaSet(): void {
    const matching = [...this.rss.values()]
      .filter(
        (rs) => !rs.metadata.deletionTimestamp && templatesEqual(rs.spec?.template, this.d.spec?.template),
      )
      .sort(byAge);
    const rs = matching[0];
    if (!rs) return;
    this.newName = rs.metadata.name;
    const next = String(maxRevision(this.oldRSs) + 1);
    const annotations = { ...(rs.metadata.annotations ?? {}), ...copiedAnnotations(this.d) };
    const current = rs.metadata.annotations?.[REVISION];
    if (current && Number(current) < Number(next)) {
      const history = rs.metadata.annotations?.[REVISION_HISTORY];
      annotations[REVISION_HISTORY] = history ? `${history},${current}` : current;
      annotations[REVISION] = next;
    } else if (!current || Number(current) < Number(next)) {
      annotations[REVISION] = next;
    }
    const minReady = this.d.spec?.minReadySeconds ?? 0;
    const annotationsChanged = JSON.stringify(annotations) !== JSON.stringify(rs.metadata.annotations ?? {});
    if (annotationsChanged || (rs.spec?.minReadySeconds ?? 0) !== minReady) {
      const updated = structuredClone(rs);
      updated.metadata.annotations = annotations;
      updated.spec = { ...updated.spec!, minReadySeconds: minReady };
      this.put(updated, replicasOf(rs), replicasOf(rs));
    }
  }

  /**
   * A ReplicaSet's annotations after this sync: desired/max replicas always (SetReplicasAnnotations);
   * the Deployment's own annotations (change-cause ...) only on the new one, so that old ReplicaSets
   * keep the change-cause of their revision.
   */
  private annotationsFor(rs: ReplicaSet | undefined, isNew: boolean): Record<string, string> {
    const out: Record<string, string> = {
      ...(rs?.metadata.annotations ?? {}),
      ...(isNew ? copiedAnnotations(this.d) : {}),
    };
    out[DESIRED_REPLICAS] = String(this.replicas);
    out[MAX_REPLICAS] = String(this.replicas + fenceposts(this.d).maxSurge);
    return out;
  }

  private createNewReplicaSet(replicas: number): void {
    const d = this.d;
    const collisions = d.status?.collisionCount ?? 0;
    const hash = podTemplateHash(d.spec?.template, collisions);
    const template = structuredClone(d.spec?.template ?? {});
    template.metadata = {
      ...template.metadata,
      labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash },
    };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const annotations = this.annotationsFor(undefined, true);
    annotations[REVISION] = String(maxRevision(this.oldRSs) + 1);
    const rs: ReplicaSet = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...(template.metadata.labels ?? {}) },
        annotations,
        ownerReferences: [ownerRefTo(d, "apps/v1", "Deployment")],
      },
      spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    this.actions.push({ kind: "create", rs });
    this.rss.set(rs.metadata.name ?? "", rs);
    this.newName = rs.metadata.name;
    this.created = true;
  }

  private put(rs: ReplicaSet, from: number, to: number): void {
    const i = this.actions.findIndex((a) => a.kind === "update" && a.rs.metadata.name === rs.metadata.name);
    if (i >= 0) {
      const prev = this.actions[i] as Extract<DeploymentAction, { kind: "update" }>;
      this.actions[i] = { kind: "update", rs, from: prev.from, to };
    } else {
      this.actions.push({ kind: "update", rs, from, to });
    }
    this.rss.set(rs.metadata.name ?? "", rs);
  }

  private scaleTo(rs: ReplicaSet, replicas: number): void {
    if (replicasOf(rs) === replicas) return;
    const updated = structuredClone(rs);
    updated.spec = { ...updated.spec!, replicas };
    updated.metadata.annotations = this.annotationsFor(rs, rs.metadata.name === this.newName);
    this.put(updated, replicasOf(rs), replicas);
  }

  private get scaledSomething(): boolean {
    return this.actions.some((a) => a.kind === "create" || (a.kind === "update" && a.from !== a.to));
  }

  /** A ReplicaSet with replicas was sized for a different spec.replicas (desired-replicas annotation). */
  private isScalingEvent(): boolean {
    return this.all.some((rs) => {
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
      return replicasOf(rs) > 0 && desired !== undefined && Number(desired) !== this.replicas;
    });
  }

  /**
   * sync's scale(): the one active ReplicaSet takes spec.replicas; a saturated new ReplicaSet lets
   * the old ones go; otherwise a change in size is shared out in proportion to each ReplicaSet's size.
   */
  private scale(): void {
    const active = this.all.filter((rs) => replicasOf(rs) > 0 && !rs.metadata.deletionTimestamp);
    const newRS = this.newRS;
    let target: ReplicaSet | undefined;
    if (active.length === 1) target = active[0];
    else if (active.length === 0)
      target = newRS ?? this.oldRSs.sort((a, b) => revisionOf(b) - revisionOf(a))[0];
    if (target) {
      this.scaleTo(target, this.replicas);
      return;
    }
    if (
      newRS &&
      replicasOf(newRS) === this.replicas &&
      (newRS.status?.availableReplicas ?? 0) >= this.replicas
    ) {
      for (const rs of this.oldRSs) this.scaleTo(rs, 0);
      return;
    }
    const allowed = this.replicas > 0 ? this.replicas + fenceposts(this.d).maxSurge : 0;
    const total = sum(active, replicasOf);
    const toAdd = allowed - total;
    if (toAdd === 0 || total === 0) return;
    // Largest first (newest first on ties) gets the rounding leftover, as Kubernetes does.
    const ordered = [...active].sort((a, b) => replicasOf(b) - replicasOf(a) || byAge(b, a));
    let given = 0;
    const shares = ordered.map((rs) => {
      const share = Math.trunc((replicasOf(rs) * toAdd) / total);
      given += share;
      return share;
    });
    shares[0]! += toAdd - given;
    for (const [i, rs] of ordered.entries()) this.scaleTo(rs, Math.max(0, replicasOf(rs) + shares[i]!));
  }

  private recreate(): void {
    for (const rs of this.oldRSs) if (replicasOf(rs) > 0) this.scaleTo(rs, 0);
    if (this.scaledSomething || this.view.oldPodsRunning) return;
    const newRS = this.newRS;
    if (!newRS) this.createNewReplicaSet(this.replicas);
    else this.scaleTo(newRS, this.replicas);
    if (!this.scaledSomething && this.complete(this.computeStatus())) this.cleanup();
  }

  private rolling(): void {
    if (!this.newRS) this.createNewReplicaSet(this.newReplicaSetReplicas(undefined));
    const newRS = this.newRS!;
    // reconcileNewReplicaSet
    if (!this.created) {
      if (replicasOf(newRS) > this.replicas) this.scaleTo(newRS, this.replicas);
      else if (replicasOf(newRS) < this.replicas) this.scaleTo(newRS, this.newReplicaSetReplicas(newRS));
      if (this.scaledSomething) return;
    }
    this.reconcileOldReplicaSets(newRS);
    if (this.scaledSomething) return;
    if (this.complete(this.computeStatus())) this.cleanup();
  }

  /** NewRSNewReplicas for RollingUpdate: grow the new ReplicaSet while all pods stay within replicas + maxSurge. */
  private newReplicaSetReplicas(newRS: ReplicaSet | undefined): number {
    const current = newRS ? replicasOf(newRS) : 0;
    const maxTotal = this.replicas + fenceposts(this.d).maxSurge;
    const pods = sum(this.all, podsOf);
    if (pods >= maxTotal) return current;
    return current + Math.max(0, Math.min(maxTotal - pods, this.replicas - current));
  }

  /**
   * reconcileOldReplicaSets: scale old ReplicaSets down without the available pods falling below
   * replicas - maxUnavailable; their unhealthy pods go first, since removing them costs no availability.
   */
  private reconcileOldReplicaSets(newRS: ReplicaSet): void {
    const olds = this.oldRSs;
    if (sum(olds, replicasOf) === 0) return;
    const minAvailable = this.replicas - fenceposts(this.d).maxUnavailable;
    const newUnavailable = replicasOf(newRS) - availableOf(newRS);
    const maxScaledDown = sum(this.all, replicasOf) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    let cleaned = 0;
    for (const rs of olds) {
      if (cleaned >= maxScaledDown) break;
      const unhealthy = replicasOf(rs) - availableOf(rs);
      if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown - cleaned, unhealthy);
      this.scaleTo(rs, replicasOf(rs) - n);
      cleaned += n;
    }
    const available = sum(this.all, availableOf);
    let toScaleDown = available - minAvailable;
    for (const rs of this.oldRSs) {
      if (toScaleDown <= 0) break;
      const rsNow = this.rss.get(rs.metadata.name ?? "")!;
      if (replicasOf(rsNow) === 0) continue;
      const n = Math.min(replicasOf(rsNow), toScaleDown);
      this.scaleTo(rsNow, replicasOf(rsNow) - n);
      toScaleDown -= n;
    }
  }

  /** cleanupDeployment: old, empty ReplicaSets beyond revisionHistoryLimit go, lowest revision first. */
  private cleanup(): void {
    const limit = this.d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const empty = this.oldRSs
      .filter(
        (rs) => replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp,
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b) || byAge(a, b));
    for (const rs of empty.slice(0, Math.max(0, empty.length - limit))) {
      this.actions.push({ kind: "delete", rs });
    }
  }

  /** calculateStatus over the ReplicaSets as they will be after this sync's actions. */
  private computeStatus(): DeploymentStatus {
    const all = this.all;
    const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
    const status: DeploymentStatus = {
      observedGeneration: this.d.metadata.generation,
      replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
      updatedReplicas: this.newRS?.status?.replicas ?? 0,
      readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, sum(all, replicasOf) - available),
      conditions: [...(this.d.status?.conditions ?? [])],
    };
    if (this.d.status?.collisionCount) status.collisionCount = this.d.status.collisionCount;
    return status;
  }

  /** DeploymentComplete: every replica updated and available, none old left, spec observed. */
  private complete(s: DeploymentStatus): boolean {
    return (
      s.updatedReplicas === this.replicas &&
      s.replicas === this.replicas &&
      s.availableReplicas === this.replicas &&
      (s.observedGeneration ?? 0) >= (this.d.metadata.generation ?? 0)
    );
  }

  private finish(): DeploymentPlan {
    const status = this.computeStatus();
    const conditions = status.conditions ?? [];
    const now = rfc3339(this.view.now);
    const newRS = this.newRS;
    const { maxUnavailable } = fenceposts(this.d);
    const rolling = this.d.spec?.strategy?.type !== "Recreate";
    const minAvailable = this.replicas - (rolling && this.replicas > 0 ? maxUnavailable : 0);
    setCondition(
      conditions,
      (status.availableReplicas ?? 0) >= minAvailable
        ? cond("Available", "True", REASON.minAvailable, "Deployment has minimum availability.", now)
        : cond(
            "Available",
            "False",
            REASON.minUnavailable,
            "Deployment does not have minimum availability.",
            now,
          ),
    );
    let requeueAfterMs: number | undefined;
    const progressing = () => conditions.find((c) => c.type === "Progressing");
    if (this.d.spec?.paused) {
      if (progressing()?.reason !== REASON.paused) {
        setCondition(conditions, cond("Progressing", "Unknown", REASON.paused, "Deployment is paused", now));
      }
    } else {
      if (progressing()?.reason === REASON.paused) {
        setCondition(
          conditions,
          cond("Progressing", "Unknown", REASON.resumed, "Deployment is resumed", now),
        );
      }
      if (this.created && newRS) {
        setCondition(
          conditions,
          cond(
            "Progressing",
            "True",
            REASON.newRSCreated,
            `Created new replica set "${newRS.metadata.name}"`,
            now,
          ),
        );
      } else if (newRS && !progressing()) {
        setCondition(
          conditions,
          cond(
            "Progressing",
            "True",
            REASON.foundNewRS,
            `Found new replica set "${newRS.metadata.name}"`,
            now,
          ),
        );
      }
      const deadline = this.d.spec?.progressDeadlineSeconds;
      const current = progressing();
      if (
        deadline !== undefined &&
        newRS &&
        current?.reason !== REASON.timedOut &&
        !this.d.metadata.deletionTimestamp
      ) {
        const name = newRS.metadata.name;
        if (this.complete(status)) {
          if (current?.reason !== REASON.newRSAvailable) {
            setCondition(
              conditions,
              cond(
                "Progressing",
                "True",
                REASON.newRSAvailable,
                `ReplicaSet "${name}" has successfully progressed.`,
                now,
              ),
            );
          }
        } else if (this.madeProgress(status)) {
          const c = cond(
            "Progressing",
            "True",
            REASON.rsUpdated,
            `ReplicaSet "${name}" is progressing.`,
            now,
          );
          if (current?.status === "True") c.lastTransitionTime = current.lastTransitionTime;
          replaceCondition(conditions, c);
        } else if (current) {
          const since = Date.parse(current.lastUpdateTime ?? current.lastTransitionTime ?? now);
          const due = since + deadline * 1000;
          if (due <= this.view.now) {
            setCondition(
              conditions,
              cond(
                "Progressing",
                "False",
                REASON.timedOut,
                `ReplicaSet "${name}" has timed out progressing.`,
                now,
              ),
            );
          } else {
            requeueAfterMs = due - this.view.now + 1000;
          }
        }
        const after = progressing();
        if (
          requeueAfterMs === undefined &&
          after?.status === "True" &&
          after.reason !== REASON.newRSAvailable
        ) {
          const since = Date.parse(after.lastUpdateTime ?? now);
          requeueAfterMs = Math.max(1000, since + deadline * 1000 - this.view.now + 1000);
        }
      }
    }
    status.conditions = conditions;
    const plan: DeploymentPlan = { actions: this.actions, status };
    if (newRS) {
      const revision = newRS.metadata.annotations?.[REVISION];
      if (revision && this.d.metadata.annotations?.[REVISION] !== revision) plan.revision = revision;
    }
    if (requeueAfterMs !== undefined) plan.requeueAfterMs = requeueAfterMs;
    return plan;
  }

  /** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last time. */
  private madeProgress(s: DeploymentStatus): boolean {
    const old = this.d.status ?? {};
    const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
    const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
    return (
      (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
      newOld < oldOld ||
      (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
      (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
    );
  }
}

function cond(
  type: string,
  status: Condition["status"],
  reason: string,
  message: string,
  now: string,
): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/** SetDeploymentCondition: no-op for the same status and reason; keeps lastTransitionTime for the same status. */
function setCondition(conditions: Condition[], c: Condition): void {
  const i = conditions.findIndex((x) => x.type === c.type);
  const cur = conditions[i];
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  if (i >= 0) conditions[i] = c;
  else conditions.push(c);
}

/** Replaces unconditionally (progress refreshes lastUpdateTime even with the same reason). */
function replaceCondition(conditions: Condition[], c: Condition): void {
  const i = conditions.findIndex((x) => x.type === c.type);
  if (i >= 0) conditions[i] = c;
  else conditions.push(c);
}
