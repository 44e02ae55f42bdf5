// The node agent: registers the node, keeps its lease and status, and runs the pods bound to it.
// This file only wires the parts together; the sync loop itself only dispatches:
//   pod informer (spec.nodeName=<node>) ─┐
//   PLEG (runtime relist every second)  ─┼──▶ pod workers (one per uid) ──▶ planner ──▶ executor ──▶ status
//   probe results that changed          ─┘
// Restart-safe: the agent keeps no state of its own that matters. A new agent lists the pods, reads
// the runtime, finds the containers already running with their restart counts and backoff steps,
// and adopts them.

import type { Pod, Taint } from "../api/index.js";
import {
  type Clock,
  EventRecorder,
  Informer,
  isConflict,
  isNotFound,
  KeyedBackoff,
  listerWatcherFor,
  type RestClient,
  realClock,
} from "../client/index.js";
import { Counter, Histogram, Registry } from "../client/prom.js";
import { connectRuntime } from "../proto/runtime/v1/index.js";
import { tearDownVolumes } from "./container-config.js";
import { ContainerLogManager } from "./container-logs.js";
import { DEFAULT_ROTATION, type RotationLimits } from "./log-rotation.js";
import { NodeLease } from "./node-lease.js";
import { NodeStatusReporter, type RuntimeHealth } from "./node-status.js";
import { Pleg } from "./pleg.js";
import { type CrashLoopBackoff, computePodActions, KUBERNETES_CRASH_LOOP_BACKOFF } from "./pod-actions.js";
import { type PodSyncer, PodWorkers, podRef } from "./pod-workers.js";
import { ProbeManager } from "./probes/prober-manager.js";
import { observePod } from "./runtime.js";
import { startNodeServer } from "./server.js";
import { generatePodStatus, PODS, statusChanged, type WaitingReason, writePodStatus } from "./status.js";
import { killPod, removePod, type SyncContext, syncPod } from "./sync-pod.js";

export interface NodeAgentOptions {
  client: RestClient;
  nodeName: string;
  /** "unix:///run/k8ts/node-1/runtime.sock" */
  runtimeEndpoint: string;
  /** Where pod logs and volumes live (kubelet: /var/lib/kubelet, /var/log/pods). */
  rootDir: string;
  /** IP the agent serves on and reports as InternalIP (127.0.0.1). */
  address?: string;
  /** 10250; 0 picks a free port. */
  port?: number;
  cpu?: string;
  memory?: string;
  maxPods?: number;
  labels?: Record<string, string>;
  taints?: Taint[];
  clock?: Clock;
  crashLoopBackoff?: CrashLoopBackoff;
  /** Milliseconds per probe second (1000; tests scale probes down). */
  probeSecondMs?: number;
  plegPeriodMs?: number;
  resyncMs?: number;
  nodeStatusUpdateMs?: number;
  leaseRenewMs?: number;
  /** The node Lease's duration (kubelet --node-lease-duration-seconds, 40); renewed every quarter of it. */
  leaseDurationSeconds?: number;
  /** When container logs are rotated (kubelet containerLogMaxSize 10 MiB, containerLogMaxFiles 5). */
  containerLogs?: RotationLimits;
  /** How often container logs are looked at for rotation (kubelet: 10 s). */
  containerLogPeriodMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface NodeAgent {
  nodeName: string;
  port: number;
  /** Stops the agent; the pods' containers keep running for the next agent to adopt. */
  stop(): Promise<void>;
}

function metrics() {
  const registry = new Registry();
  return {
    registry,
    syncs: new Counter({
      name: "nodeagent_pod_syncs_total",
      help: "Pod syncs by outcome.",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    syncSeconds: new Histogram({
      name: "nodeagent_pod_sync_duration_seconds",
      help: "Duration of one pod sync.",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    startSeconds: new Histogram({
      name: "nodeagent_pod_start_duration_seconds",
      help: "Pod creation to all containers running, as first seen by this agent.",
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    probes: new Counter({
      name: "nodeagent_prober_probe_total",
      help: "Probe checks by kind and result.",
      labelNames: ["probe_type", "result"],
      registers: [registry],
    }),
  };
}

export async function startNodeAgent(opts: NodeAgentOptions): Promise<NodeAgent> {
  const log = opts.log ?? (() => {});
  const clock = opts.clock ?? realClock;
  const client = opts.client;
  const address = opts.address ?? "127.0.0.1";
  const { runtime, image } = connectRuntime(opts.runtimeEndpoint);
  const m = metrics();
  const events = new EventRecorder(client, { component: "nodeagent", host: opts.nodeName }, { clock });
  const backoff = opts.crashLoopBackoff ?? KUBERNETES_CRASH_LOOP_BACKOFF;
  // Made first: limits it cannot keep are refused before anything starts.
  const containerLogs = new ContainerLogManager({
    runtime,
    clock,
    limits: opts.containerLogs ?? DEFAULT_ROTATION,
    periodMs: opts.containerLogPeriodMs,
    log,
  });

  let runtimeHealth: RuntimeHealth = { ok: false, message: "not checked yet", version: "" };
  const checkRuntime = async (): Promise<RuntimeHealth> => {
    try {
      const v = await runtime.Version({}, { deadlineMs: 5000 });
      runtimeHealth = { ok: true, message: "", version: `${v.runtimeName}://${v.runtimeVersion}` };
    } catch (err) {
      runtimeHealth = {
        ...runtimeHealth,
        ok: false,
        message: (err as { details?: string }).details ?? String(err),
      };
    }
    return runtimeHealth;
  };

  const informer = new Informer<Pod>({
    name: "pods",
    listerWatcher: listerWatcherFor<Pod>(client, PODS, { fieldSelector: `spec.nodeName=${opts.nodeName}` }),
    clock,
    indexers: { uid: (p) => (p.metadata.uid ? [p.metadata.uid] : []) },
    onError: (err) => log({ level: "warn", msg: "pod watch failed", err: String(err) }),
  });
  const findPod = (uid: string): Pod | undefined => informer.store.byIndex("uid", uid)[0];

  let workers: PodWorkers;
  const probes = new ProbeManager({
    runtime,
    clock,
    events,
    secondMs: opts.probeSecondMs,
    onChange: (uid) => {
      const pod = findPod(uid);
      if (pod) workers.update(pod);
    },
    onProbe: (kind, ok) => m.probes.inc({ probe_type: kind, result: ok ? "successful" : "failed" }),
  });

  const ctx: SyncContext = {
    runtime,
    images: image,
    client,
    events,
    rootDir: opts.rootDir,
    hostIP: address,
    clock,
    imageBackoff: new KeyedBackoff({ initialMs: backoff.initialMs, maxMs: backoff.maxMs }, clock),
  };
  const reasons = new Map<string, Map<string, WaitingReason>>();
  const written = new Map<string, Pod["status"]>();
  const started = new Set<string>();

  const syncer: PodSyncer = {
    async sync(pod) {
      const uid = pod.metadata.uid!;
      const t0 = Date.now();
      try {
        const observed = await observePod(runtime, uid);
        const actions = computePodActions({
          pod,
          observed,
          now: clock.now(),
          backoff,
          liveness: probes.liveness,
          startup: probes.startup,
        });
        const result = await syncPod(ctx, pod, observed, actions);
        const podReasons = reasons.get(uid) ?? new Map<string, WaitingReason>();
        for (const s of result.steps)
          if (s.action === "StartContainer" && !s.error) podReasons.delete(s.target);
        for (const [name, r] of result.reasons) podReasons.set(name, r);
        reasons.set(uid, podReasons);
        const after = result.steps.length ? await observePod(runtime, uid) : observed;
        const ip = after.sandboxes.find((s) => s.ready)?.ip || address;
        if (!actions.terminal) probes.syncPod(pod, after, ip);
        else probes.removePod(uid);
        const status = generatePodStatus({
          pod,
          observed: after,
          hostIP: address,
          now: clock.now(),
          backoff: actions.backoff,
          reasons: podReasons,
          readiness: probes.readiness,
          startup: probes.startup,
        });
        if (statusChanged(written.get(uid) ?? pod.status, status)) {
          await writePodStatus(client, pod, status);
          written.set(uid, status);
        }
        if (
          status.phase === "Running" &&
          !started.has(uid) &&
          status.containerStatuses?.every((s) => s.state?.running)
        ) {
          started.add(uid);
          const created = Date.parse(pod.metadata.creationTimestamp ?? "");
          if (!Number.isNaN(created)) m.startSeconds.observe((Date.now() - created) / 1000);
        }
        m.syncs.inc({ outcome: result.steps.some((s) => s.error) ? "error" : "success" });
        if (result.steps.length)
          log({
            level: "info",
            msg: "pod synced",
            pod: podRef(pod),
            ms: Date.now() - t0,
            steps: result.steps.map((s) =>
              s.error ? `${s.action} ${s.target}: ${s.reason ?? "error"}` : `${s.action} ${s.target}`,
            ),
          });
        return {
          requeueAfterMs: Math.min(actions.requeueAfterMs ?? Infinity, result.requeueAfterMs ?? Infinity),
        };
      } finally {
        m.syncSeconds.observe((Date.now() - t0) / 1000);
      }
    },
    async terminate(pod, graceSeconds) {
      const uid = pod.metadata.uid!;
      probes.removePod(uid);
      const observed = await observePod(runtime, uid);
      log({ level: "info", msg: "stopping pod", pod: podRef(pod), graceSeconds });
      const steps = await killPod(ctx, pod, observed, graceSeconds);
      const failed = steps.find((s) => s.error);
      if (failed) throw new Error(`${failed.action} ${failed.target}: ${failed.error}`);
    },
    async cleanup(pod, stillInApi) {
      const uid = pod.metadata.uid!;
      const observed = await observePod(runtime, uid);
      if (stillInApi) {
        // As the kubelet's status manager: the final status (containers terminated, a terminal phase)
        // reaches the API before the object is removed, so watchers see how the pod ended.
        const status = generatePodStatus({
          pod,
          observed,
          hostIP: address,
          now: clock.now(),
          backoff: [],
          reasons: new Map(),
          readiness: probes.readiness,
          startup: probes.startup,
          stopped: true,
        });
        if (statusChanged(written.get(uid) ?? pod.status, status)) await writePodStatus(client, pod, status);
      }
      await removePod(ctx, observed);
      tearDownVolumes(uid, opts.rootDir);
      reasons.delete(uid);
      written.delete(uid);
      started.delete(uid);
      if (!stillInApi) return;
      try {
        await client.delete(PODS, pod.metadata.name!, {
          namespace: pod.metadata.namespace,
          options: { gracePeriodSeconds: 0, preconditions: { uid } },
        });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
      log({ level: "info", msg: "pod removed", pod: podRef(pod) });
    },
  };
  workers = new PodWorkers({ syncer, clock, resyncMs: opts.resyncMs, log });

  await checkRuntime();
  const port = opts.port ?? 10250;
  const pleg = new Pleg({
    runtime,
    clock,
    periodMs: opts.plegPeriodMs,
    log,
    onChange: (uids) => {
      for (const uid of uids) {
        const pod = findPod(uid);
        if (pod) workers.update(pod);
      }
    },
    onRelist: (uids) => {
      // Orphans: runtime pods with no API object and no worker (deleted while the agent was down).
      if (!informer.hasSynced()) return;
      for (const uid of uids) {
        if (findPod(uid) || workers.knows(uid)) continue;
        workers.podGone({ metadata: { uid, name: `orphan-${uid}`, namespace: "" } });
      }
    },
  });

  const server = await startNodeServer(
    {
      findPod: (namespace, name) => informer.store.get(`${namespace}/${name}`),
      observe: (uid) => observePod(runtime, uid),
      runtime,
      metrics: m.registry,
      health: () => {
        const stale = pleg.lastRelist > 0 && clock.now() - pleg.lastRelist > 3 * 60_000;
        if (stale) return { ok: false, message: "pleg was last seen active more than 3m ago" };
        return { ok: true, message: "" };
      },
      log,
    },
    address,
    port,
  );

  const identity = {
    nodeName: opts.nodeName,
    address,
    port: server.port,
    cpu: opts.cpu,
    memory: opts.memory,
    maxPods: opts.maxPods ?? 110,
    labels: opts.labels ?? {},
    taints: opts.taints ?? [],
  };
  const reporter = new NodeStatusReporter({
    client,
    identity,
    clock,
    health: checkRuntime,
    updateMs: opts.nodeStatusUpdateMs,
    log,
  });
  let lease: NodeLease | undefined;
  try {
    const node = await reporter.register();
    reporter.start();
    lease = new NodeLease({
      client,
      nodeName: opts.nodeName,
      nodeUid: node.metadata.uid,
      clock,
      renewMs: opts.leaseRenewMs,
      durationSeconds: opts.leaseDurationSeconds,
      log,
    });
    lease.start();
  } catch (err) {
    await server.close();
    runtime.close();
    image.close();
    throw err;
  }

  informer.addEventHandler({
    onAdd: (pod) => workers.update(pod),
    onUpdate: (_old, pod) => workers.update(pod),
    onDelete: (pod) => workers.podGone(pod),
  });
  informer.start();
  pleg.start();
  containerLogs.start();
  log({ level: "info", msg: "node agent started", node: opts.nodeName, port: server.port });

  return {
    nodeName: opts.nodeName,
    port: server.port,
    async stop() {
      pleg.stop();
      containerLogs.stop();
      lease?.stop();
      reporter.stop();
      probes.stop();
      await informer.stop();
      await workers.stop();
      await events.flush().catch(() => {});
      await server.close();
      runtime.close();
      image.close();
    },
  };
}
