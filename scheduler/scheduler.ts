// The scheduler process's core: informers on nodes and pods feed the cache (bound pods, nodes) and
// the queue (pending pods of our profiles), cluster changes wake unschedulable pods, and one loop
// pops pods and hands them to ScheduleOne. Everything is learnt through list+watch and changed only
// through the API (pods/binding, events, pods/status).

import { setImmediate as yieldToIo } from "node:timers/promises";
import type { Node, Pod } from "../api/index.js";
import { resourceFor } from "../api/index.js";
import {
  type Clock,
  EventRecorder,
  type Informer,
  InformerFactory,
  type RestClient,
  realClock,
  sleep,
} from "../client/index.js";
import { SchedulerCache } from "./cache.js";
import { defaultSchedulerConfig, type SchedulerConfig } from "./config.js";
import { DecisionLog } from "./decisions.js";
import type { Framework } from "./framework/framework.js";
import type { ClusterEvent } from "./framework/interface.js";
import { podKey } from "./framework/node-info.js";
import { SchedulerMetrics } from "./metrics.js";
import { SchedulingQueue } from "./queue/scheduling-queue.js";
import {
  type Binder,
  DEFAULT_MAX_BINDS_IN_FLIGHT,
  DEFAULT_SCHEDULER,
  type EventSink,
  ScheduleOne,
} from "./schedule-one.js";

const PODS = resourceFor("", "pods")!;
const NODES = resourceFor("", "nodes")!;
/** How long stop() waits for queued events: they are best effort, and a stop must not hang on them. */
const EVENT_FLUSH_MS = 3000;

export interface SchedulerOptions {
  client: RestClient;
  config?: SchedulerConfig;
  clock?: Clock;
  random?: () => number;
  /** Defaults to an EventRecorder writing core/v1 Events as "default-scheduler". */
  events?: EventSink;
  /** Defaults to POST pods/{name}/binding through `client`. */
  binder?: Binder;
  /** Write PodScheduled=False on pods that do not fit (true when omitted). */
  writeConditions?: boolean;
  /** Binds outstanding at most (DEFAULT_MAX_BINDS_IN_FLIGHT when omitted); decisions wait for a free slot. */
  maxBindsInFlight?: number;
  decisionCapacity?: number;
  log?: (line: Record<string, unknown>) => void;
}

export class Scheduler {
  readonly config: SchedulerConfig;
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly decisions: DecisionLog;
  readonly metrics: SchedulerMetrics;
  readonly profiles: ReadonlyMap<string, Framework>;
  private readonly informers: InformerFactory;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly one: ScheduleOne;
  private readonly log: (line: Record<string, unknown>) => void;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder | undefined;

  constructor(opts: SchedulerOptions) {
    const client = opts.client;
    const maxBindsInFlight = opts.maxBindsInFlight ?? DEFAULT_MAX_BINDS_IN_FLIGHT;
    const clock = opts.clock ?? realClock;
    this.clock = clock;
    this.log = opts.log ?? (() => {});
    this.config = opts.config ?? defaultSchedulerConfig();
    this.profiles = new Map(this.config.profiles.map((f) => [f.schedulerName, f]));
    const eventsByPlugin = new Map<string, readonly ClusterEvent[]>();
    for (const f of this.config.profiles)
      for (const [p, evs] of f.eventsToRegister()) eventsByPlugin.set(p, evs);
    this.queue = new SchedulingQueue({
      clock,
      initialBackoffMs: this.config.podInitialBackoffMs,
      maxBackoffMs: this.config.podMaxBackoffMs,
      eventsByPlugin,
    });
    this.decisions = new DecisionLog(opts.decisionCapacity);
    this.metrics = new SchedulerMetrics(
      () => this.queue.pending(),
      () => this.recorder?.dropped ?? 0,
      () => this.recorder?.pendingWrites ?? 0,
    );
    this.informers = new InformerFactory(client, {
      clock,
      onError: (err) => this.log({ level: "warn", msg: "informer error", err: String(err) }),
    });
    this.pods = this.informers.informerFor<Pod>(PODS);
    this.nodes = this.informers.informerFor<Node>(NODES);
    // Events are best effort: the recorder drops beyond its queue, as client-go's event broadcaster
    // does (counted in the metrics). A Scheduled event follows each bind, so it writes as many at
    // once as binds may be in flight: with fewer, a steady stream of binds outruns it and most of
    // a large backlog's decisions would go unrecorded.
    if (!opts.events) {
      this.recorder = new EventRecorder(
        client,
        { component: DEFAULT_SCHEDULER },
        {
          clock,
          maxInFlight: maxBindsInFlight,
          onError: (err) => this.log({ level: "warn", msg: "event write failed", err: String(err) }),
        },
      );
    }
    const events = opts.events ?? this.recorder!;
    this.one = new ScheduleOne({
      queue: this.queue,
      cache: this.cache,
      profiles: this.profiles,
      binder: opts.binder ?? apiBinder(client),
      events,
      writeCondition: opts.writeConditions === false ? undefined : conditionWriter(client, clock),
      decisions: this.decisions,
      metrics: this.metrics,
      clock,
      random: opts.random ?? Math.random,
      percentageOfNodesToScore: this.config.percentageOfNodesToScore,
      currentPod: (key) => this.pods.store.get(key),
      log: this.log,
      maxBindsInFlight,
    });
    this.nodes.addEventHandler({
      onAdd: (n) => this.onNodeAdd(n),
      onUpdate: (o, n) => this.onNodeUpdate(o, n),
      onDelete: (n) => this.onNodeDelete(n),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.onPodAdd(p),
      onUpdate: (o, p) => this.onPodUpdate(o, p),
      onDelete: (p) => this.onPodDelete(p),
    });
  }

  /** Starts the informers; resolves true once both have synced (false if stopped first). */
  async start(): Promise<boolean> {
    this.informers.start();
    return this.informers.waitForSync();
  }

  hasSynced(): boolean {
    return this.pods.hasSynced() && this.nodes.hasSynced();
  }

  /** Schedules until `signal` aborts (or the scheduler is stopped). Call after start(). */
  async run(signal: AbortSignal): Promise<void> {
    const onAbort = () => this.queue.close();
    signal.addEventListener("abort", onAbort, { once: true });
    let lastYield = performance.now();
    try {
      while (!signal.aborted) {
        const qp = await this.queue.pop();
        if (!qp || signal.aborted) break;
        this.one.run(qp);
        await this.one.waitForSlot();
        // Popping resolves without touching the event loop: let watch events and bind answers in
        // every few milliseconds so the cache stays current during a long burst.
        if (performance.now() - lastYield > 5) {
          await yieldToIo();
          lastYield = performance.now();
        }
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** Stops the queue and informers once in-flight binds finished and queued events were written
   * (or EVENT_FLUSH_MS passed). */
  async stop(): Promise<void> {
    this.queue.close();
    await this.one.drain();
    if (this.recorder) {
      const flushed = new AbortController();
      await Promise.race([this.recorder.flush(), sleep(this.clock, EVENT_FLUSH_MS, flushed.signal)]);
      flushed.abort();
    }
    await this.informers.stop();
  }

  // ---- informer handlers: keep them short ------------------------------------------------------

  private responsibleFor(pod: Pod): boolean {
    return this.profiles.has(pod.spec?.schedulerName ?? DEFAULT_SCHEDULER);
  }

  private onPodAdd(pod: Pod): void {
    if (pod.spec?.nodeName) {
      if (isTerminal(pod)) return;
      this.cache.addPod(pod);
      this.queue.onEvent("AssignedPodAdd");
    } else if (this.responsibleFor(pod) && !pod.metadata.deletionTimestamp) {
      this.queue.add(pod);
    }
  }

  private onPodUpdate(old: Pod, pod: Pod): void {
    if (pod.spec?.nodeName) {
      if (!old.spec?.nodeName) this.queue.delete(pod);
      if (isTerminal(pod)) {
        if (this.cache.removePod(pod)) this.queue.onEvent("AssignedPodDelete");
      } else {
        this.cache.addPod(pod);
        if (old.spec?.nodeName) this.queue.onEvent("AssignedPodUpdate");
      }
      return;
    }
    // Our own assumed pod: its bind is under way; the update (a status write) changes nothing.
    if (this.cache.isAssumed(podKey(pod))) return;
    if (this.responsibleFor(pod) && !pod.metadata.deletionTimestamp) this.queue.update(old, pod);
    else this.queue.delete(pod);
  }

  private onPodDelete(pod: Pod): void {
    this.queue.delete(pod);
    if (this.cache.removePod(pod)) this.queue.onEvent("AssignedPodDelete");
  }

  private onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.queue.onEvent("NodeAdd");
  }

  private onNodeUpdate(old: Node, node: Node): void {
    this.cache.addNode(node);
    if (old === node) return;
    for (const ev of nodeChanges(old, node)) this.queue.onEvent(ev);
  }

  private onNodeDelete(node: Node): void {
    this.cache.removeNode(node);
    this.queue.onEvent("NodeDelete");
  }
}

/** Which aspects of a node changed, as cluster events (Kubernetes' nodeSchedulingPropertiesChange). */
export function nodeChanges(old: Node, node: Node): ClusterEvent[] {
  const out: ClusterEvent[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (
    !same(old.status?.allocatable ?? old.status?.capacity, node.status?.allocatable ?? node.status?.capacity)
  ) {
    out.push("NodeUpdateAllocatable");
  }
  if (!same(old.metadata.labels, node.metadata.labels)) out.push("NodeUpdateLabel");
  if (
    !same(old.spec?.taints, node.spec?.taints) ||
    !!old.spec?.unschedulable !== !!node.spec?.unschedulable
  ) {
    out.push("NodeUpdateTaint");
  }
  const conds = (n: Node) => (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(",");
  if (conds(old) !== conds(node)) out.push("NodeUpdateCondition");
  return out;
}

function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}

export function apiBinder(client: RestClient): Binder {
  return {
    async bind(pod, nodeName) {
      await client.createOnly(
        PODS,
        {
          apiVersion: "v1",
          kind: "Binding",
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
          target: { apiVersion: "v1", kind: "Node", name: nodeName },
        },
        { namespace: pod.metadata.namespace, subresource: "binding", name: pod.metadata.name },
      );
    },
  };
}

function conditionWriter(client: RestClient, clock: Clock) {
  return async (pod: Pod, reason: string, message: string) => {
    const condition = {
      type: "PodScheduled",
      status: "False",
      reason,
      message,
      lastProbeTime: null,
      lastTransitionTime: `${new Date(clock.now()).toISOString().slice(0, 19)}Z`,
    };
    await client.patch(
      PODS,
      pod.metadata.name!,
      "strategic",
      { status: { conditions: [condition] } },
      { namespace: pod.metadata.namespace, subresource: "status" },
    );
  };
}
