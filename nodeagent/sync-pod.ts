// The executor: carries out a PodActions plan step by step against the runtime, as the kubelet's
// SyncPod does — kill, make the sandbox, start the next init container or the containers (pull,
// create, start, postStart) — and records a result per step. An expected failure (an image that
// cannot be pulled, a command that does not exist) is a step result and a waiting reason for the
// status, never an exception; the plan of the next sync decides what happens next.
// killPod is also the terminating path: preStop hooks, then the stop signal with what is left of the
// grace period, then the sandbox.

import type { Container, Pod } from "../api/index.js";
import type { Clock, KeyedBackoff } from "../client/index.js";
import type { PodSandboxConfig } from "../proto/runtime/v1/index.js";
import {
  ContainerConfigError,
  containerConfig,
  resolveEnv,
  sandboxConfig,
  setUpVolumes,
} from "./container-config.js";
import type { PodActions, StartContainer } from "./pod-actions.js";
import { runHandler } from "./probes/handlers.js";
import type { ImageService, ObservedContainer, ObservedPod, Runtime } from "./runtime.js";
import type { WaitingReason } from "./status.js";

export interface EventSink {
  event(obj: Pod, type: "Normal" | "Warning", reason: string, message: string, fieldPath?: string): void;
}

export interface SyncContext {
  runtime: Runtime;
  images: ImageService;
  /** For ConfigMap/Secret env; omitted in unit tests. */
  client?: import("../client/index.js").RestClient;
  events: EventSink;
  rootDir: string;
  hostIP: string;
  clock: Clock;
  /** ImagePullBackOff, per image. */
  imageBackoff: KeyedBackoff<string>;
}

export type StepAction =
  | "KillPod"
  | "KillContainer"
  | "CreatePodSandbox"
  | "PullImage"
  | "CreateContainer"
  | "StartContainer"
  | "PostStartHook"
  | "RemoveContainer";

export interface StepResult {
  action: StepAction;
  target: string;
  /** The waiting reason a failure shows (ErrImagePull, RunContainerError ...). */
  reason?: string;
  error?: string;
}

export interface SyncPodResult {
  steps: StepResult[];
  /** Waiting reasons by container name, for the status. */
  reasons: Map<string, WaitingReason>;
  /** Retry sooner than the periodic resync (image pull backoff). */
  requeueAfterMs?: number;
}

const grpcMessage = (err: unknown) =>
  (err as { details?: string }).details || (err as Error).message || String(err);

function fieldPath(pod: Pod, name: string): string {
  const init = pod.spec?.initContainers?.some((c) => c.name === name);
  return `spec.${init ? "initContainers" : "containers"}{${name}}`;
}

function specOf(pod: Pod, name: string): Container | undefined {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
}

function targetIP(ctx: SyncContext, observed: ObservedPod): string {
  return observed.sandboxes.find((s) => s.ready)?.ip || ctx.hostIP;
}

/** Stops one container: preStop hook first, then the stop signal with the rest of the grace period. */
async function stopContainer(
  ctx: SyncContext,
  pod: Pod,
  c: ObservedContainer,
  graceSeconds: number,
  ip: string,
  message?: string,
): Promise<void> {
  const spec = specOf(pod, c.name);
  if (message) ctx.events.event(pod, "Normal", "Killing", message, fieldPath(pod, c.name));
  const deadline = ctx.clock.now() + graceSeconds * 1000;
  const preStop = spec?.lifecycle?.preStop;
  if (preStop && graceSeconds > 0 && c.state === "running") {
    const out = await runHandler(
      preStop,
      { runtime: ctx.runtime, containerId: c.id, container: spec, ip },
      graceSeconds * 1000,
    );
    if (!out.ok)
      ctx.events.event(
        pod,
        "Warning",
        "FailedPreStopHook",
        `PreStopHook failed: ${out.output}`,
        fieldPath(pod, c.name),
      );
  }
  const left = Math.max(0, Math.ceil((deadline - ctx.clock.now()) / 1000));
  await ctx.runtime.StopContainer({ containerId: c.id, timeout: left }, { deadlineMs: (left + 30) * 1000 });
}

/** Stops every running container (in parallel, each within the grace period) and every ready sandbox. */
export async function killPod(
  ctx: SyncContext,
  pod: Pod,
  observed: ObservedPod,
  graceSeconds: number,
  steps: StepResult[] = [],
): Promise<StepResult[]> {
  const ip = targetIP(ctx, observed);
  const live = observed.containers.filter((c) => c.state === "running");
  await Promise.all(
    live.map(async (c) => {
      try {
        await stopContainer(ctx, pod, c, graceSeconds, ip, `Stopping container ${c.name}`);
        steps.push({ action: "KillContainer", target: c.name });
      } catch (err) {
        steps.push({ action: "KillContainer", target: c.name, error: grpcMessage(err) });
      }
    }),
  );
  for (const s of observed.sandboxes.filter((s) => s.ready)) {
    try {
      await ctx.runtime.StopPodSandbox({ podSandboxId: s.id });
      steps.push({ action: "KillPod", target: s.id });
    } catch (err) {
      steps.push({ action: "KillPod", target: s.id, error: grpcMessage(err) });
    }
  }
  return steps;
}

function defaultPullPolicy(image: string): "Always" | "IfNotPresent" {
  const last = image.split("/").pop() ?? image;
  if (last.includes("@")) return "IfNotPresent";
  const tag = last.includes(":") ? last.slice(last.indexOf(":") + 1) : "latest";
  return tag === "latest" ? "Always" : "IfNotPresent";
}

/** Makes sure the image is on the node; returns the failure as a waiting reason. */
async function ensureImage(ctx: SyncContext, pod: Pod, c: Container): Promise<WaitingReason | undefined> {
  const image = c.image ?? "";
  const fp = fieldPath(pod, c.name);
  const policy = c.imagePullPolicy ?? defaultPullPolicy(image);
  if (policy !== "Always") {
    const present = await ctx.images.ImageStatus({ image: { image } }).then(
      (r) => !!r.image?.id,
      () => false,
    );
    if (present) {
      ctx.events.event(pod, "Normal", "Pulled", `Container image "${image}" already present on machine`, fp);
      return undefined;
    }
    if (policy === "Never") {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      ctx.events.event(pod, "Warning", "ErrImageNeverPull", message, fp);
      return { reason: "ErrImageNeverPull", message };
    }
  }
  if (ctx.imageBackoff.inBackoff(image)) {
    const message = `Back-off pulling image "${image}"`;
    ctx.events.event(pod, "Normal", "BackOff", message, fp);
    return { reason: "ImagePullBackOff", message };
  }
  ctx.events.event(pod, "Normal", "Pulling", `Pulling image "${image}"`, fp);
  const t0 = ctx.clock.now();
  try {
    await ctx.images.PullImage({ image: { image } });
  } catch (err) {
    ctx.imageBackoff.next(image);
    const message = `Failed to pull image "${image}": ${grpcMessage(err)}`;
    ctx.events.event(pod, "Warning", "Failed", message, fp);
    ctx.events.event(pod, "Warning", "Failed", "Error: ErrImagePull", fp);
    return { reason: "ErrImagePull", message };
  }
  ctx.imageBackoff.reset(image);
  const secs = ((ctx.clock.now() - t0) / 1000).toFixed(3);
  ctx.events.event(pod, "Normal", "Pulled", `Successfully pulled image "${image}" in ${secs}s`, fp);
  return undefined;
}

async function startContainer(
  ctx: SyncContext,
  pod: Pod,
  start: StartContainer,
  sandboxId: string,
  sbConfig: PodSandboxConfig,
  podIP: string,
  result: SyncPodResult,
): Promise<boolean> {
  const c = specOf(pod, start.name)!;
  const fp = fieldPath(pod, c.name);
  const fail = (action: StepAction, reason: string, message: string) => {
    result.steps.push({ action, target: c.name, reason, error: message });
    result.reasons.set(c.name, { reason, message });
    return false;
  };
  const pulled = await ensureImage(ctx, pod, c);
  if (pulled) {
    const wait = ctx.imageBackoff.current(c.image ?? "");
    if (wait) result.requeueAfterMs = Math.min(result.requeueAfterMs ?? Infinity, wait);
    return fail("PullImage", pulled.reason, pulled.message);
  }
  result.steps.push({ action: "PullImage", target: c.name });

  let containerId: string;
  try {
    const env = ctx.client
      ? await resolveEnv(c, { client: ctx.client, pod, podIP, hostIP: ctx.hostIP })
      : (c.env ?? []).map((e): [string, string] => [e.name, e.value ?? ""]);
    const config = containerConfig(pod, c, start, env, setUpVolumes(pod, ctx.rootDir));
    containerId = (
      await ctx.runtime.CreateContainer({ podSandboxId: sandboxId, config, sandboxConfig: sbConfig })
    ).containerId!;
  } catch (err) {
    const configError = err instanceof ContainerConfigError;
    const message = configError ? (err as Error).message : grpcMessage(err);
    ctx.events.event(pod, "Warning", "Failed", `Error: ${message}`, fp);
    return fail(
      "CreateContainer",
      configError ? "CreateContainerConfigError" : "CreateContainerError",
      message,
    );
  }
  result.steps.push({ action: "CreateContainer", target: c.name });
  ctx.events.event(pod, "Normal", "Created", `Created container ${c.name}`, fp);
  try {
    await ctx.runtime.StartContainer({ containerId });
  } catch (err) {
    const message = grpcMessage(err);
    ctx.events.event(pod, "Warning", "Failed", `Error: ${message}`, fp);
    return fail("StartContainer", "RunContainerError", message);
  }
  result.steps.push({ action: "StartContainer", target: c.name });
  ctx.events.event(pod, "Normal", "Started", `Started container ${c.name}`, fp);

  const postStart = c.lifecycle?.postStart;
  if (postStart) {
    const out = await runHandler(
      postStart,
      { runtime: ctx.runtime, containerId, container: c, ip: podIP },
      30_000,
    );
    if (!out.ok) {
      // Kubernetes kills a container whose postStart hook failed; the restart policy takes it from there.
      ctx.events.event(pod, "Warning", "FailedPostStartHook", `PostStartHook failed: ${out.output}`, fp);
      await ctx.runtime.StopContainer({ containerId, timeout: 0 }).catch(() => {});
      return fail("PostStartHook", "PostStartHookError", out.output);
    }
    result.steps.push({ action: "PostStartHook", target: c.name });
  }
  return true;
}

export async function syncPod(
  ctx: SyncContext,
  pod: Pod,
  observed: ObservedPod,
  actions: PodActions,
): Promise<SyncPodResult> {
  const result: SyncPodResult = { steps: [], reasons: new Map() };
  const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;

  // Step 1: kill the pod (before a new sandbox, or because it finished).
  if (actions.killPod) await killPod(ctx, pod, observed, grace, result.steps);

  // Step 2: kill the containers the plan gave up on (liveness, changed spec).
  const ip = targetIP(ctx, observed);
  await Promise.all(
    actions.containersToKill.map(async (k) => {
      const c = observed.containers.find((o) => o.id === k.id);
      if (!c) return;
      try {
        await stopContainer(ctx, pod, c, grace, ip, k.message);
        result.steps.push({ action: "KillContainer", target: k.name });
      } catch (err) {
        result.steps.push({ action: "KillContainer", target: k.name, error: grpcMessage(err) });
      }
    }),
  );

  // Step 3: garbage: dead instances beyond the newest one per container.
  for (const id of actions.containersToRemove) {
    await ctx.runtime.RemoveContainer({ containerId: id }).then(
      () => result.steps.push({ action: "RemoveContainer", target: id }),
      (err) => result.steps.push({ action: "RemoveContainer", target: id, error: grpcMessage(err) }),
    );
  }
  if (actions.terminal) return result;

  // Step 4: the sandbox.
  const sbConfig = sandboxConfig(pod, actions.sandboxAttempt, ctx.rootDir);
  let sandboxId = actions.sandboxId;
  let podIP = observed.sandboxes.find((s) => s.id === sandboxId)?.ip ?? "";
  if (actions.createSandbox) {
    try {
      sandboxId = (await ctx.runtime.RunPodSandbox({ config: sbConfig })).podSandboxId!;
      podIP = (await ctx.runtime.PodSandboxStatus({ podSandboxId: sandboxId })).status?.network?.ip ?? "";
      result.steps.push({ action: "CreatePodSandbox", target: sandboxId });
    } catch (err) {
      const message = `Failed to create pod sandbox: ${grpcMessage(err)}`;
      result.steps.push({ action: "CreatePodSandbox", target: pod.metadata.name ?? "", error: message });
      ctx.events.event(pod, "Warning", "FailedCreatePodSandBox", message);
      return result;
    }
  }
  podIP ||= ctx.hostIP;

  // Step 5: the next init container, or else the containers.
  if (actions.initToStart) {
    await startContainer(ctx, pod, actions.initToStart, sandboxId, sbConfig, podIP, result);
    return result;
  }
  for (const b of actions.backoff) {
    ctx.events.event(
      pod,
      "Warning",
      "BackOff",
      `Back-off restarting failed container ${b.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      fieldPath(pod, b.name),
    );
  }
  for (const s of actions.containersToStart)
    await startContainer(ctx, pod, s, sandboxId, sbConfig, podIP, result);
  return result;
}

/** After the pod stopped: remove its containers and sandboxes from the runtime. */
export async function removePod(ctx: SyncContext, observed: ObservedPod): Promise<void> {
  for (const c of observed.containers)
    await ctx.runtime.RemoveContainer({ containerId: c.id }).catch(() => {});
  for (const s of observed.sandboxes) await ctx.runtime.RemovePodSandbox({ podSandboxId: s.id });
}
