// Node lifecycle controller (Kubernetes' pkg/controller/nodelifecycle with the taint-eviction
// manager folded in): watches node heartbeats (the Lease in kube-node-lease and the Ready
// condition's heartbeat, timed by our own clock, never the node's), marks a silent node's
// conditions Unknown after the grace period, taints it unreachable/not-ready (NoExecute tainting
// rate-limited by the cluster's disruption state), evicts its pods once their tolerations run out
// so their controllers replace them, and untaints a node that comes back. Pods bound to a node that
// no longer exists are force-deleted (PodGC's orphan rule).
//
// Same order as every controller file. Keys are node names; every node is looked at again at least
// every monitor period.

import type { Lease, Node, Pod } from "../api/index.js";
import { type Controller, type Informer, isConflict, isNotFound } from "../client/index.js";
import {
  type ControllerContext,
  NODE_NAME_INDEX,
  NODES,
  PODS,
  type Recorder,
  recorderFor,
  runnerFor,
} from "./context.js";
import {
  disruption,
  type EvictionDefaults,
  type EvictionRates,
  evictionTime,
  planNodeHealth,
  planTaints,
  readyCondition,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  taintRate,
  taintsEqual,
} from "./node-lifecycle-plan.js";
import { rfc3339 } from "./time.js";
import { TokenBucket } from "./token-bucket.js";

export const NODE_LEASE_NAMESPACE = "kube-node-lease";

export interface NodeLifecycleOptions {
  /** Heartbeat silence before a node is Unknown (--node-monitor-grace-period; Kubernetes 40 s, 50 s since 1.32). */
  gracePeriodMs?: number;
  /** How often every node is checked even without events (--node-monitor-period, 5 s). */
  monitorPeriodMs?: number;
  rates?: Partial<EvictionRates>;
  defaultTolerations?: Partial<EvictionDefaults>;
  workers?: number;
}

export const NODE_LIFECYCLE_DEFAULTS = {
  gracePeriodMs: 40_000,
  monitorPeriodMs: 5_000,
  rates: { rate: 0.1, secondaryRate: 0.01, unhealthyThreshold: 0.55, largeClusterThreshold: 50 },
  defaultTolerations: { notReadySeconds: 300, unreachableSeconds: 300 },
} as const;

export class NodeLifecycleController {
  static readonly controllerName = "nodelifecycle";
  readonly controller: Controller;
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer<Lease>;
  private readonly pods: Informer<Pod>;
  private readonly gracePeriodMs: number;
  private readonly monitorPeriodMs: number;
  private readonly rates: EvictionRates;
  private readonly defaults: EvictionDefaults;
  private readonly tainting: TokenBucket;
  /** Per node: the last heartbeat we saw (lease renewTime + Ready heartbeat) and when we saw it change. */
  private readonly heartbeats = new Map<string, { seen: string; at: number }>();
  /** Per node: the Ready status we last saw, to report transitions as events. */
  private readonly lastReady = new Map<string, string>();
  private readonly warnedSlow = new Set<string>();
  private readonly nodeEvents: Recorder;
  private readonly podEvents: Recorder;

  constructor(
    private readonly ctx: ControllerContext,
    opts: NodeLifecycleOptions = {},
  ) {
    const d = NODE_LIFECYCLE_DEFAULTS;
    this.gracePeriodMs = opts.gracePeriodMs ?? d.gracePeriodMs;
    this.monitorPeriodMs = opts.monitorPeriodMs ?? d.monitorPeriodMs;
    this.rates = { ...d.rates, ...opts.rates };
    this.defaults = { ...d.defaultTolerations, ...opts.defaultTolerations };
    this.tainting = new TokenBucket(ctx.clock, this.rates.rate);
    this.nodeEvents = recorderFor(ctx, NODES);
    this.podEvents = recorderFor(ctx, PODS);
    this.controller = runnerFor(
      ctx,
      NodeLifecycleController.controllerName,
      (key) => this.reconcile(key),
      opts.workers ?? 1,
    );
    this.nodes = ctx.informers.nodes();
    this.leases = ctx.informers.leases();
    this.pods = ctx.informers.pods();
    const enqueue = (name: string | undefined) => name && this.controller.enqueue(name);
    this.nodes.addEventHandler({
      onAdd: (n) => enqueue(n.metadata.name),
      onUpdate: (_, n) => enqueue(n.metadata.name),
      onDelete: (n) => {
        this.heartbeats.delete(n.metadata.name ?? "");
        this.lastReady.delete(n.metadata.name ?? "");
        enqueue(n.metadata.name);
      },
    });
    const leaseEvent = (l: Lease) => {
      if (l.metadata.namespace === NODE_LEASE_NAMESPACE) enqueue(l.metadata.name);
    };
    this.leases.addEventHandler({ onAdd: leaseEvent, onUpdate: (_, l) => leaseEvent(l) });
    this.pods.addEventHandler({
      onAdd: (p) => enqueue(p.spec?.nodeName),
      onUpdate: (old, p) => {
        if (old.spec?.nodeName !== p.spec?.nodeName) enqueue(p.spec?.nodeName);
      },
    });
  }

  async reconcile(name: string): Promise<{ requeueAfterMs?: number } | undefined> {
    let node = this.nodes.store.get(name);
    if (!node) {
      await this.collectOrphanPods(name);
      return;
    }
    const now = this.ctx.clock.now();
    const lastHeartbeat = this.observeHeartbeat(node, now);

    const conditions = planNodeHealth(node, lastHeartbeat, now, this.gracePeriodMs);
    if (conditions) node = await this.markUnknown(node, conditions);

    const all = this.nodes.store.list().map((n) => (n.metadata.name === name ? node! : n));
    const state = disruption(all, this.rates.unhealthyThreshold);
    this.tainting.setRate(taintRate(state, all.length, this.rates));
    const ready = readyCondition(node)?.status ?? "Unknown";
    this.reportTransition(node, ready);
    const key = ready === "False" ? TAINT_NOT_READY : ready === "Unknown" ? TAINT_UNREACHABLE : undefined;
    const needsNoExecute =
      key !== undefined && !(node.spec?.taints ?? []).some((t) => t.effect === "NoExecute" && t.key === key);
    const allow = !needsNoExecute || this.tainting.tryAccept();
    const taints = planTaints(node, now, allow);
    if (!taintsEqual(taints, node.spec?.taints)) node = await this.writeTaints(node, taints);

    let next = this.monitorPeriodMs;
    if (needsNoExecute && !allow) {
      this.ctx.log({
        level: "info",
        msg: "NoExecute taint held back by the eviction rate limit",
        node: name,
        state,
      });
    }
    const evictAt = await this.evictPods(node, now);
    if (evictAt !== undefined) next = Math.min(next, Math.max(1, evictAt - now));
    if (ready === "True") next = Math.min(next, Math.max(1, lastHeartbeat + this.gracePeriodMs - now + 1));
    return { requeueAfterMs: next };
  }

  /** When the node's heartbeat last changed, by our clock (a node's clock may be off; ours decides). */
  private observeHeartbeat(node: Node, now: number): number {
    const name = node.metadata.name ?? "";
    const lease = this.leases.store.get(`${NODE_LEASE_NAMESPACE}/${name}`);
    const seen = `${lease?.spec?.renewTime ?? ""}|${readyCondition(node)?.lastHeartbeatTime ?? ""}`;
    const prev = this.heartbeats.get(name);
    if (prev && prev.seen === seen) return prev.at;
    // Kubernetes' grace period is four renewals (kubelet renews every 10 s, grace 40 s). Heartbeats
    // further apart than half the grace period make a healthy node flap NotReady: say so, once.
    if (prev && now - prev.at > this.gracePeriodMs / 2 && !this.warnedSlow.has(name)) {
      this.warnedSlow.add(name);
      this.ctx.log({
        level: "warn",
        msg: "node heartbeats are far apart for the grace period; the node may flap NotReady",
        node: name,
        heartbeatIntervalMs: now - prev.at,
        gracePeriodMs: this.gracePeriodMs,
      });
    }
    this.heartbeats.set(name, { seen, at: now });
    return now;
  }

  private async markUnknown(
    node: Node,
    conditions: NonNullable<Node["status"]>["conditions"],
  ): Promise<Node> {
    const wasReady = readyCondition(node)?.status === "True";
    const updated = await this.ctx.client.updateStatus(NODES, {
      ...node,
      status: { ...node.status, conditions },
    });
    if (wasReady) await this.markPodsNotReady(node);
    return updated;
  }

  /** RecordNodeStatusChange: NodeReady / NodeNotReady events when Ready changes, whoever changed it. */
  private reportTransition(node: Node, ready: string): void {
    const name = node.metadata.name ?? "";
    const prev = this.lastReady.get(name);
    this.lastReady.set(name, ready);
    if (prev === undefined || (prev === "True") === (ready === "True")) return;
    const status = ready === "True" ? "NodeReady" : "NodeNotReady";
    this.nodeEvents.event(node, "Normal", status, `Node ${name} status is now: ${status}`);
  }

  /** MarkPodsNotReady: pods on a node we cannot hear from are not ready either. */
  private async markPodsNotReady(node: Node): Promise<void> {
    for (const pod of this.pods.store.byIndex(NODE_NAME_INDEX, node.metadata.name ?? "")) {
      const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
      if (ready?.status !== "True") continue;
      const conditions = (pod.status?.conditions ?? []).map((c) =>
        c.type === "Ready"
          ? { ...c, status: "False" as const, lastTransitionTime: rfc3339(this.ctx.clock.now()) }
          : c,
      );
      try {
        await this.ctx.client.updateStatus(PODS, { ...pod, status: { ...pod.status, conditions } });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    }
  }

  private async writeTaints(node: Node, taints: NonNullable<Node["spec"]>["taints"]): Promise<Node> {
    const next = structuredClone(node);
    next.spec = { ...next.spec, taints };
    if (!taints?.length) delete next.spec.taints;
    return this.ctx.client.update(NODES, next);
  }

  /** Evicts the pods whose tolerations of the node's NoExecute taints ran out; returns the next eviction time. */
  private async evictPods(node: Node, now: number): Promise<number | undefined> {
    const taints = node.spec?.taints ?? [];
    let next: number | undefined;
    for (const pod of this.pods.store.byIndex(NODE_NAME_INDEX, node.metadata.name ?? "")) {
      if (pod.metadata.deletionTimestamp) continue;
      const at = evictionTime(pod, taints, this.defaults, now);
      if (at === undefined) continue;
      if (at > now) {
        next = next === undefined ? at : Math.min(next, at);
        continue;
      }
      this.podEvents.event(
        pod,
        "Normal",
        "TaintManagerEviction",
        `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
      );
      try {
        await this.ctx.client.delete(PODS, pod.metadata.name ?? "", {
          namespace: pod.metadata.namespace,
          options: { preconditions: { uid: pod.metadata.uid } },
        });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    }
    return next;
  }

  /** Pods bound to a node that is gone (checked with the API server) will never be stopped by anyone: delete them now. */
  private async collectOrphanPods(nodeName: string): Promise<void> {
    const pods = this.pods.store.byIndex(NODE_NAME_INDEX, nodeName);
    if (pods.length === 0) return;
    try {
      await this.ctx.client.get(NODES, nodeName);
      return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    for (const pod of pods) {
      try {
        await this.ctx.client.delete(PODS, pod.metadata.name ?? "", {
          namespace: pod.metadata.namespace,
          options: { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } },
        });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    }
  }
}
