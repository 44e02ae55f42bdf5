// The pure planner: what must happen to one pod, decided from its spec, what the runtime holds, the
// probe results and the time. It mirrors the kubelet's computePodActions: the answer is plain data
// (start these, kill those, wait this long), and sync-pod.ts carries it out. Nothing here talks to
// the runtime or the API server, so every rule is checked by a table of cases in pod-actions.test.ts.
//
// Rules, after Kubernetes:
// - a pod needs exactly one ready sandbox; if it has none (or its sandbox died) every container is
//   killed and the pod starts over in a new sandbox — unless the pod is finished and may not restart;
// - init containers run one at a time, in order, each to success; a failed one is retried per the
//   restart policy (Never: the pod fails);
// - a regular container that is not running is started when it never ran, or when the restart policy
//   says so for its exit (Always; OnFailure with a non-zero exit);
// - CrashLoopBackOff: the first exit restarts at once, the second waits 10 s, then 20 s, ... up to
//   5 min; an instance that ran for 10 min starts the sequence over;
// - a running container whose liveness (or startup) probe failed, or whose spec changed, is killed;
//   the restart rules then apply to it as to any exit.

import { createHash } from "node:crypto";
import type { Container, Pod, RestartPolicy } from "../api/index.js";
import { delayFor } from "../client/index.js";
import { latestByName, type ObservedContainer, type ObservedPod } from "./runtime.js";

export interface CrashLoopBackoff {
  /** First restart delay (Kubernetes: 10 s). */
  initialMs: number;
  /** Cap (Kubernetes: 5 min). */
  maxMs: number;
  /** An instance that ran this long resets the sequence (Kubernetes: 10 min). */
  resetAfterMs: number;
}

export const KUBERNETES_CRASH_LOOP_BACKOFF: CrashLoopBackoff = {
  initialMs: 10_000,
  maxMs: 300_000,
  resetAfterMs: 600_000,
};

export type ProbeResult = "success" | "failure";

export interface PlanInput {
  pod: Pod;
  observed: ObservedPod;
  now: number;
  backoff: CrashLoopBackoff;
  /** Latest liveness result by container id (absent: no result yet, counts as success). */
  liveness?: ReadonlyMap<string, ProbeResult>;
  /** Latest startup result by container id; a failure means failureThreshold was reached. */
  startup?: ReadonlyMap<string, ProbeResult>;
}

export interface StartContainer {
  name: string;
  init: boolean;
  /** CRI metadata.attempt of the new instance. */
  attempt: number;
  restartCount: number;
  backoffStep: number;
}

export interface KillContainer {
  id: string;
  name: string;
  /** Why, for the Killing event: "failed liveness probe, will be restarted". */
  message: string;
}

export interface BackoffWait {
  name: string;
  init: boolean;
  delayMs: number;
  remainingMs: number;
}

export interface PodActions {
  /** Stop every container and the sandbox (before making a new sandbox, or because the pod is done). */
  killPod: boolean;
  createSandbox: boolean;
  sandboxAttempt: number;
  /** The ready sandbox to use when no new one is made. */
  sandboxId: string;
  /** Init containers run one at a time: at most one entry. */
  initToStart?: StartContainer;
  containersToStart: StartContainer[];
  containersToKill: KillContainer[];
  /** Containers waiting out CrashLoopBackOff. */
  backoff: BackoffWait[];
  /** Dead instances no longer worth keeping (all but the newest dead one per name). */
  containersToRemove: string[];
  /** Sync again after this long (the earliest backoff expiry). */
  requeueAfterMs?: number;
  /** The pod finished and nothing will restart. */
  terminal?: "Succeeded" | "Failed";
}

/** Changes to these make a running container obsolete (only the image is mutable on a pod, but be safe). */
export function containerHash(c: Container): string {
  const { name, image, command, args, workingDir, env, envFrom, volumeMounts, ports, tty, stdin } = c;
  return createHash("sha256")
    .update(
      JSON.stringify({
        name,
        image,
        command,
        args,
        workingDir,
        env,
        envFrom,
        volumeMounts,
        ports,
        tty,
        stdin,
      }),
    )
    .digest("hex")
    .slice(0, 16);
}

const running = (c: ObservedContainer | undefined) => c?.state === "running";
const succeeded = (c: ObservedContainer) => c.state === "exited" && c.exitCode === 0;

/** Kubernetes' rule for a container that is not running. */
export function shouldRestart(policy: RestartPolicy, last: ObservedContainer | undefined): boolean {
  if (!last) return true;
  if (last.state === "running") return false;
  if (policy === "Always") return true;
  if (policy === "OnFailure") return !succeeded(last);
  return false;
}

interface InitProgress {
  done: boolean;
  /** The init container to (re)start, if any. */
  next?: Container;
  /** The named init container failed and may not be retried (restartPolicy Never). */
  failed?: Container;
}

export const isSidecar = (c: Container) => c.restartPolicy === "Always";

function initProgress(pod: Pod, latest: Map<string, ObservedContainer>): InitProgress {
  const inits = pod.spec?.initContainers ?? [];
  const policy = pod.spec?.restartPolicy ?? "Always";
  for (const c of inits) {
    const last = latest.get(c.name);
    if (isSidecar(c)) {
      // A sidecar (restartPolicy Always, KEP-753) lets the next init container go once it has
      // started; from then on it runs beside the containers and is restarted like them.
      if (last?.startedAt) continue;
      return { done: false, next: c };
    }
    if (!last) return { done: false, next: c };
    if (running(last)) return { done: false };
    if (succeeded(last)) continue;
    // Exited with an error (or never got going): retry unless the pod may not restart anything.
    return policy === "Never" ? { done: false, failed: c } : { done: false, next: c };
  }
  return { done: true };
}

/** Time left of spec.activeDeadlineSeconds, counted from status.startTime (undefined: no deadline). */
export function deadlineRemainingMs(pod: Pod, now: number): number | undefined {
  const deadline = pod.spec?.activeDeadlineSeconds;
  const start = Date.parse(pod.status?.startTime ?? "");
  if (deadline === undefined || Number.isNaN(start)) return undefined;
  return start + deadline * 1000 - now;
}

/** Pod phase that nothing will change any more, or undefined while the pod is still live. */
export function terminalPhase(
  pod: Pod,
  latest: Map<string, ObservedContainer>,
  now: number,
): "Succeeded" | "Failed" | undefined {
  // A pod that reached a terminal phase never leaves it, whatever its containers do afterwards.
  const reported = pod.status?.phase;
  if (reported === "Succeeded" || reported === "Failed") return reported;
  const left = deadlineRemainingMs(pod, now);
  if (left !== undefined && left <= 0) return "Failed";
  const policy = pod.spec?.restartPolicy ?? "Always";
  if (policy === "Always") return undefined;
  const init = initProgress(pod, latest);
  if (init.failed) return "Failed";
  if (!init.done) return undefined;
  let failed = false;
  for (const c of pod.spec?.containers ?? []) {
    const last = latest.get(c.name);
    if (last?.state !== "exited") return undefined;
    if (last.exitCode !== 0) {
      if (policy === "OnFailure") return undefined;
      failed = true;
    }
  }
  return failed ? "Failed" : "Succeeded";
}

function restartOf(
  c: Container,
  init: boolean,
  last: ObservedContainer | undefined,
  now: number,
  cfg: CrashLoopBackoff,
  sandboxId: string,
): { start: StartContainer } | { wait: BackoffWait } {
  if (!last) return { start: { name: c.name, init, attempt: 0, restartCount: 0, backoffStep: 0 } };
  const ranFor = last.startedAt && last.finishedAt ? last.finishedAt - last.startedAt : 0;
  const step = ranFor >= cfg.resetAfterMs ? 0 : last.backoffStep;
  // As the kubelet does: a first exit restarts at once; from the second on the restart waits
  // initialMs, doubling up to maxMs.
  const delayMs = step === 0 ? 0 : delayFor({ initialMs: cfg.initialMs, maxMs: cfg.maxMs }, step - 1);
  const exitedAt = last.finishedAt || last.createdAt;
  const remainingMs = exitedAt + delayMs - now;
  // Backoff is for a container that keeps failing in its sandbox; one that ran in an earlier
  // sandbox (the pod is starting over) goes at once.
  if (remainingMs > 0 && last.sandboxId === sandboxId)
    return { wait: { name: c.name, init, delayMs, remainingMs } };
  return {
    start: {
      name: c.name,
      init,
      attempt: last.attempt + 1,
      restartCount: last.restartCount + 1,
      backoffStep: step + 1,
    },
  };
}

function deadToRemove(observed: ObservedPod): string[] {
  const keptDead = new Set<string>();
  const remove: string[] = [];
  for (const c of observed.containers) {
    // containers are newest first; keep the running ones and the newest dead one per name
    if (c.state === "running") continue;
    if (keptDead.has(c.name)) remove.push(c.id);
    else keptDead.add(c.name);
  }
  return remove;
}

export function computePodActions(input: PlanInput): PodActions {
  const { pod, observed, now, backoff: cfg } = input;
  const spec = pod.spec ?? { containers: [] };
  const policy = spec.restartPolicy ?? "Always";
  const latest = latestByName(observed);
  const sandbox = observed.sandboxes[0];
  const readySandboxes = observed.sandboxes.filter((s) => s.ready);
  const sandboxChanged = !sandbox?.ready || readySandboxes.length > 1;

  const actions: PodActions = {
    killPod: false,
    createSandbox: false,
    sandboxAttempt: sandbox ? sandbox.attempt + (sandboxChanged ? 1 : 0) : 0,
    sandboxId: sandboxChanged ? "" : sandbox!.id,
    containersToStart: [],
    containersToKill: [],
    backoff: [],
    containersToRemove: deadToRemove(observed),
  };

  const terminal = terminalPhase(pod, latest, now);
  if (terminal) {
    actions.terminal = terminal;
    // Stop what is left (the sandbox) once; a finished pod is never started again.
    actions.killPod = readySandboxes.length > 0 || observed.containers.some(running);
    return actions;
  }

  // During initialization one init container (sidecars included) starts at a time; afterwards
  // sidecars restart beside the containers.
  const addWaitOrStart = (c: Container, init: boolean, initPhase = init) => {
    const r = restartOf(c, init, latest.get(c.name), now, cfg, actions.sandboxId);
    if ("wait" in r) actions.backoff.push(r.wait);
    else if (initPhase) actions.initToStart = r.start;
    else actions.containersToStart.push(r.start);
  };
  const sidecars = (spec.initContainers ?? []).filter(isSidecar);

  if (sandboxChanged) {
    // A pod that already ran and may not restart is not brought back in a new sandbox.
    if (sandbox && policy === "Never" && observed.containers.length > 0) {
      actions.killPod = observed.containers.some(running);
      return actions;
    }
    actions.killPod = observed.sandboxes.length > 0 || observed.containers.some(running);
    actions.createSandbox = true;
    // Kubernetes runs the init containers again in a new sandbox, from the first.
    const first = spec.initContainers?.[0];
    if (first) addWaitOrStart(first, true);
    else
      for (const c of spec.containers)
        if (shouldRestart(policy, latest.get(c.name)) || running(latest.get(c.name)))
          addWaitOrStart(c, false);
    return withRequeue(actions, deadlineRemainingMs(pod, now));
  }

  // Init containers count in the sandbox they ran in: a new sandbox runs them all again.
  const inSandbox = new Map([...latest].filter(([, c]) => c.sandboxId === sandbox!.id));
  const init = initProgress(pod, inSandbox);
  if (init.failed) {
    actions.killPod = true;
    return actions;
  }
  if (!init.done) {
    if (init.next) addWaitOrStart(init.next, true);
    return withRequeue(actions, deadlineRemainingMs(pod, now));
  }

  // Sidecars that stopped come back whatever the pod's policy; then the containers, per the policy.
  for (const c of sidecars) if (!running(latest.get(c.name))) addWaitOrStart(c, true, false);
  for (const c of spec.containers) {
    const last = latest.get(c.name);
    if (!running(last)) {
      if (shouldRestart(policy, last)) addWaitOrStart(c, false);
      continue;
    }
    const id = last!.id;
    let why: string | undefined;
    if (last!.hash && last!.hash !== containerHash(c)) why = "definition changed";
    else if (input.startup?.get(id) === "failure") why = "failed startup probe";
    else if (input.liveness?.get(id) === "failure") why = "failed liveness probe";
    // Once it has exited, the restart rules above decide whether it comes back (and when).
    if (why)
      actions.containersToKill.push({
        id,
        name: c.name,
        message: `Container ${c.name} ${why}${policy === "Never" ? "" : ", will be restarted"}`,
      });
  }
  return withRequeue(actions, deadlineRemainingMs(pod, now));
}

function withRequeue(actions: PodActions, deadlineMs: number | undefined): PodActions {
  const waits = [
    ...actions.backoff.map((b) => b.remainingMs),
    ...(deadlineMs !== undefined ? [deadlineMs] : []),
  ];
  if (waits.length) actions.requeueAfterMs = Math.min(...waits);
  return actions;
}
