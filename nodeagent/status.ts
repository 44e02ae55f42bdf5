// The pod status the agent reports, computed from the spec, the runtime's view and the probe results
// (the kubelet's generateAPIPodStatus + getPhase), and written through the status subresource only
// when it changed. Pure except for the writer at the bottom.

import type {
  Condition,
  Container,
  ContainerState,
  ContainerStatus,
  Pod,
  PodPhase,
  PodStatus,
} from "../api/index.js";
import { RESOURCES } from "../api/index.js";
import { isConflict, isNotFound, type RestClient } from "../client/index.js";
import type { BackoffWait, ProbeResult } from "./pod-actions.js";
import { deadlineRemainingMs, isSidecar, terminalPhase } from "./pod-actions.js";
import type { ObservedContainer, ObservedPod } from "./runtime.js";
import { latestByName } from "./runtime.js";

export const PODS = RESOURCES.find((r) => r.kind === "Pod")!;

export const rfc3339 = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** A waiting reason left by the last sync for one container (ErrImagePull, RunContainerError, ...). */
export interface WaitingReason {
  reason: string;
  message: string;
}

export interface StatusInput {
  pod: Pod;
  observed: ObservedPod;
  hostIP: string;
  now: number;
  /** Containers waiting out CrashLoopBackOff (from the plan). */
  backoff: BackoffWait[];
  /** Failures of the last sync by container name. */
  reasons: ReadonlyMap<string, WaitingReason>;
  /** By container id. */
  readiness: ReadonlyMap<string, ProbeResult>;
  startup: ReadonlyMap<string, ProbeResult>;
  /**
   * The pod was deleted and the agent has stopped it: the final status written before the API object
   * goes (the kubelet's podIsTerminal), with a terminal phase whatever the restart policy.
   */
  stopped?: boolean;
}

export const containerID = (id: string) => `k8ts://${id}`;

function terminated(c: ObservedContainer): ContainerState {
  return {
    terminated: {
      exitCode: c.exitCode,
      reason: c.reason || (c.exitCode === 0 ? "Completed" : "Error"),
      ...(c.message ? { message: c.message } : {}),
      startedAt: c.startedAt ? rfc3339(c.startedAt) : undefined,
      finishedAt: c.finishedAt ? rfc3339(c.finishedAt) : undefined,
      containerID: containerID(c.id),
    },
  };
}

function containerStatus(
  spec: Container,
  instances: ObservedContainer[],
  input: StatusInput,
  initPending: boolean,
  init: boolean,
): ContainerStatus {
  const [latest, previous] = instances;
  const { pod } = input;
  const wait = input.backoff.find((b) => b.name === spec.name && b.init === init);
  const reason = input.reasons.get(spec.name);
  const base = { name: spec.name, image: spec.image ?? "", imageID: latest?.imageRef ?? "" };
  if (!latest) {
    return {
      ...base,
      state: {
        waiting: reason ?? { reason: initPending && !init ? "PodInitializing" : "ContainerCreating" },
      },
      ready: false,
      restartCount: 0,
      started: false,
    };
  }
  const restartCount = latest.restartCount;
  if (latest.state === "running") {
    const started = spec.startupProbe ? input.startup.get(latest.id) === "success" : true;
    const ready = started && (spec.readinessProbe ? input.readiness.get(latest.id) === "success" : true);
    return {
      ...base,
      containerID: containerID(latest.id),
      state: { running: { startedAt: rfc3339(latest.startedAt || latest.createdAt) } },
      ...(previous ? { lastState: terminated(previous) } : {}),
      ready,
      restartCount,
      started,
    };
  }
  // Dead: either about to restart (waiting, the dead one becomes lastState) or final (terminated).
  const waiting = wait
    ? {
        reason: "CrashLoopBackOff",
        message: `back-off ${Math.round(wait.delayMs / 1000)}s restarting failed container=${spec.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      }
    : reason;
  if (waiting)
    return {
      ...base,
      containerID: containerID(latest.id),
      state: { waiting },
      lastState: terminated(latest),
      ready: false,
      restartCount,
      started: false,
    };
  return {
    ...base,
    containerID: containerID(latest.id),
    state: terminated(latest),
    ...(previous ? { lastState: terminated(previous) } : {}),
    ready: false,
    restartCount,
    started: false,
  };
}

/**
 * Kubernetes' getPhase for a pod the kubelet has stopped for good (podIsTerminal): once no container
 * runs, Succeeded if every container exited 0, otherwise Failed.
 */
function stoppedPhase(statuses: ContainerStatus[]): PodPhase | undefined {
  if (statuses.some((s) => s.state?.running)) return undefined;
  return statuses.every((s) => s.state?.terminated?.exitCode === 0) ? "Succeeded" : "Failed";
}

/** Kubernetes' getPhase for a pod that is not finished. */
function livePhase(pod: Pod, statuses: ContainerStatus[], initDone: boolean): PodPhase {
  if (!initDone) return "Pending";
  const policy = pod.spec?.restartPolicy ?? "Always";
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  for (const s of statuses) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) stopped++;
    else if (s.lastState?.terminated)
      running++; // restarting: counts as running, as in Kubernetes
    else waiting++;
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0 && policy === "Always") return "Running";
  return "Pending";
}

function condition(type: string, ok: boolean, reason?: string): Condition {
  return { type, status: ok ? "True" : "False", ...(ok || !reason ? {} : { reason }) };
}

export function generatePodStatus(input: StatusInput): PodStatus {
  const { pod, observed } = input;
  const spec = pod.spec ?? { containers: [] };
  const byName = new Map<string, ObservedContainer[]>();
  for (const c of observed.containers) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  const latest = latestByName(observed);
  const inits = spec.initContainers ?? [];
  const initDone = inits.every((c) => {
    const l = latest.get(c.name);
    if (isSidecar(c)) return !!l?.startedAt;
    return l?.state === "exited" && l.exitCode === 0;
  });
  const initStatuses = inits.map((c) => containerStatus(c, byName.get(c.name) ?? [], input, !initDone, true));
  const statuses = spec.containers.map((c) =>
    containerStatus(c, byName.get(c.name) ?? [], input, !initDone, false),
  );

  const old = pod.status ?? {};
  const terminal =
    terminalPhase(pod, latest, input.now) ?? (input.stopped ? stoppedPhase(statuses) : undefined);
  const left = deadlineRemainingMs(pod, input.now);
  const deadline =
    terminal === "Failed" && left !== undefined && left <= 0 && old.phase !== "Failed"
      ? {
          reason: "DeadlineExceeded",
          message: "Pod was active on the node longer than the specified deadline",
        }
      : old.phase === "Failed" && old.reason
        ? { reason: old.reason, message: old.message ?? "" }
        : undefined;
  const phase: PodPhase = terminal ?? livePhase(pod, statuses, initDone);
  const containersReady = statuses.length > 0 && statuses.every((s) => s.ready);
  const sandbox = observed.sandboxes.find((s) => s.ready);
  const conditions: Condition[] = [
    condition("Initialized", initDone || terminal !== undefined, "ContainersNotInitialized"),
    condition("Ready", containersReady, terminal ? "PodCompleted" : "ContainersNotReady"),
    condition("ContainersReady", containersReady, terminal ? "PodCompleted" : "ContainersNotReady"),
    condition("PodScheduled", true),
  ].map((c) => {
    const prev = old.conditions?.find((p) => p.type === c.type);
    const lastTransitionTime =
      prev && prev.status === c.status && prev.lastTransitionTime
        ? prev.lastTransitionTime
        : rfc3339(input.now);
    return { ...c, lastTransitionTime };
  });
  // A hostNetwork pod has the node's address, as in Kubernetes.
  const podIP = pod.spec?.hostNetwork ? input.hostIP : sandbox?.ip || old.podIP;
  return {
    phase,
    ...(deadline ?? {}),
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: old.startTime ?? rfc3339(input.now),
    ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: old.qosClass,
  };
}

/** Stable comparison: a write is needed only when this differs. */
export function statusChanged(a: PodStatus | undefined, b: PodStatus): boolean {
  return JSON.stringify(normalize(a ?? {})) !== JSON.stringify(normalize(b));
}

function normalize(s: PodStatus): unknown {
  return {
    ...s,
    conditions: [...(s.conditions ?? [])]
      .map(({ lastProbeTime: _p, ...c }) => c)
      .sort((x, y) => x.type.localeCompare(y.type)),
  };
}

/**
 * Writes `status` onto the pod through the status subresource. On a conflict it rereads and retries;
 * a pod that is gone is not an error (deletion raced us).
 */
export async function writePodStatus(
  client: RestClient,
  pod: Pod,
  status: PodStatus,
): Promise<Pod | undefined> {
  let current = pod;
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.updateStatus<Pod>(PODS, { ...current, status: { ...current.status, ...status } });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      if (!isConflict(err) || attempt >= 3) throw err;
      current = await client.get<Pod>(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace });
      if (current.metadata.uid !== pod.metadata.uid) return undefined;
    }
  }
}
