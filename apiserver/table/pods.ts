// Pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES — Kubernetes'
// printPod. STATUS is not just the phase: it tells the user what the pod is stuck on, in the order
// the kubelet would: an init container's failure or wait (`Init:CrashLoopBackOff`, `Init:0/2`), then
// the last app container with a waiting or terminated reason (`ContainerCreating`, `ErrImagePull`,
// `OOMKilled`, `Completed`), then `Terminating` once deletion has begun.

import type { ContainerState, ContainerStatus, Pod } from "../../api/core-v1.js";
import { formatAge, humanDuration } from "./human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type Printer } from "./printer.js";

/** Why a node controller marks pods of an unreachable node (node.NodeUnreachablePodReason). */
const NODE_UNREACHABLE_REASON = "NodeLost";

function hasCondition(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

/** A restartable init container is a sidecar: it keeps running beside the app containers. */
function isSidecar(pod: Pod, name: string): boolean {
  return (pod.spec?.initContainers ?? []).some((c) => c.name === name && c.restartPolicy === "Always");
}

function finishedAt(s: ContainerStatus): number | undefined {
  const t = s.lastState?.terminated?.finishedAt;
  const ms = t ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

function later(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

function terminatedText(t: NonNullable<ContainerState["terminated"]>, prefix: string): string {
  if (t.reason) return prefix + t.reason;
  if (t.signal) return `${prefix}Signal:${t.signal}`;
  return `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  lastRestart: number | undefined;
}

/** The READY, STATUS and RESTARTS of a pod, computed as kubectl users know them. */
export function summarizePod(pod: Pod): PodSummary {
  const status = pod.status ?? {};
  const initSpecs = pod.spec?.initContainers ?? [];
  const total =
    (pod.spec?.containers ?? []).length + initSpecs.filter((c) => c.restartPolicy === "Always").length;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  let sidecarRestarts = 0;
  let lastSidecarRestart: number | undefined;

  let reason = status.reason || status.phase || "";
  if ((status.conditions ?? []).some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) {
    reason = "SchedulingGated";
  }

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (const [i, c] of inits.entries()) {
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, finishedAt(c));
    const sidecar = isSidecar(pod, c.name);
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, finishedAt(c));
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting?.reason;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (term) reason = terminatedText(term, "Init:");
    else if (waiting && waiting !== "PodInitializing") reason = `Init:${waiting}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, "Initialized")) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const cs = status.containerStatuses ?? [];
    // From the last container to the first, so the first container's state has the last word.
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i] as ContainerStatus;
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, finishedAt(c));
      const term = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (term) reason = terminatedText(term, "");
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last container completed but another still runs is not "Completed".
    if (reason === "Completed" && hasRunning) reason = hasCondition(pod, "Ready") ? "Running" : "NotReady";
  }

  const terminal = status.phase === "Succeeded" || status.phase === "Failed";
  if (pod.metadata.deletionTimestamp && status.reason === NODE_UNREACHABLE_REASON) reason = "Unknown";
  else if (pod.metadata.deletionTimestamp && !terminal) reason = "Terminating";

  return { ready, total, reason, restarts, lastRestart };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return "<none>";
  const conditions = pod.status?.conditions ?? [];
  const met = gates.filter(
    (g) => conditions.find((c) => c.type === g.conditionType)?.status === "True",
  ).length;
  return `${met}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
    column("Status", "string", "The aggregate status of the containers in this pod."),
    column(
      "Restarts",
      "string",
      "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    AGE_COLUMN,
    column("IP", "string", "The pod's first IP address (status.podIPs).", { priority: 1 }),
    column("Node", "string", "The node the pod is bound to (spec.nodeName).", { priority: 1 }),
    column("Nominated Node", "string", "The node preemption cleared room on (status.nominatedNodeName).", {
      priority: 1,
    }),
    column("Readiness Gates", "string", "Readiness gates whose condition is True, of all gates.", {
      priority: 1,
    }),
  ],
  cells(obj, now) {
    const pod = obj as Pod;
    const s = summarizePod(pod);
    const restarts =
      s.restarts !== 0 && s.lastRestart !== undefined
        ? `${s.restarts} (${humanDuration(now.getTime() - s.lastRestart)} ago)`
        : String(s.restarts);
    const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || "<none>";
    return [
      pod.metadata.name ?? "",
      `${s.ready}/${s.total}`,
      s.reason,
      restarts,
      formatAge(pod.metadata.creationTimestamp, now),
      ip,
      pod.spec?.nodeName || "<none>",
      pod.status?.nominatedNodeName || "<none>",
      readinessGates(pod),
    ];
  },
  conditions(obj) {
    const phase = (obj as Pod).status?.phase;
    if (phase === "Succeeded")
      return [
        {
          type: "Completed",
          status: "True",
          reason: "Succeeded",
          message: "The pod has completed successfully.",
        },
      ];
    if (phase === "Failed")
      return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
    return undefined;
  },
};
