// What the node agent needs from the container runtime, and how it reads a pod's runtime state back.
// The agent talks to the runtime only through the CRI-shaped gRPC API (proto/runtime/v1); these
// narrow interfaces let unit tests hand the executor a small fake instead of a real shim.
//
// Like the kubelet, the agent keeps no database of its own: everything it must remember about a
// container (which pod and container it belongs to, its restart count, its backoff step, the spec
// hash it was made from) rides on the container's labels and annotations in the runtime, so a
// restarted agent reads it back and adopts what is running.

import {
  ContainerState,
  type ImageServiceClient,
  PodSandboxState,
  type RuntimeServiceClient,
} from "../proto/runtime/v1/index.js";

export type Runtime = Omit<RuntimeServiceClient, "close">;
export type ImageService = Pick<ImageServiceClient, "PullImage" | "ImageStatus">;

export const LABEL_POD_NAME = "io.kubernetes.pod.name";
export const LABEL_POD_NAMESPACE = "io.kubernetes.pod.namespace";
export const LABEL_POD_UID = "io.kubernetes.pod.uid";
export const LABEL_CONTAINER_NAME = "io.kubernetes.container.name";
export const ANNOTATION_RESTART_COUNT = "io.kubernetes.container.restartCount";
export const ANNOTATION_HASH = "io.kubernetes.container.hash";
/** k8ts' own: how many quick crashes in a row led to this instance (CrashLoopBackOff survives a restart of the agent). */
export const ANNOTATION_BACKOFF_STEP = "k8ts.io/backoff-step";

export type ObservedContainerState = "created" | "running" | "exited" | "unknown";

/** One container instance as the runtime reports it; times in ms since the epoch (0 = never). */
export interface ObservedContainer {
  id: string;
  /** The sandbox it was created in. */
  sandboxId: string;
  name: string;
  attempt: number;
  state: ObservedContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  restartCount: number;
  backoffStep: number;
  hash: string;
  logPath: string;
}

export interface ObservedSandbox {
  id: string;
  attempt: number;
  ready: boolean;
  ip: string;
  createdAt: number;
}

/** A pod's runtime state: sandboxes and containers, newest first. */
export interface ObservedPod {
  uid: string;
  sandboxes: ObservedSandbox[];
  containers: ObservedContainer[];
}

const containerStates: Record<number, ObservedContainerState> = {
  [ContainerState.CONTAINER_CREATED]: "created",
  [ContainerState.CONTAINER_RUNNING]: "running",
  [ContainerState.CONTAINER_EXITED]: "exited",
  [ContainerState.CONTAINER_UNKNOWN]: "unknown",
};

export const nanosToMs = (n: number | undefined): number => Math.floor((n ?? 0) / 1e6);

function int(v: string | undefined): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** Reads one pod's sandboxes and containers (with their full status) from the runtime. */
export async function observePod(runtime: Runtime, uid: string): Promise<ObservedPod> {
  const selector = { [LABEL_POD_UID]: uid };
  const [{ items = [] }, { containers = [] }] = await Promise.all([
    runtime.ListPodSandbox({ filter: { labelSelector: selector } }),
    runtime.ListContainers({ filter: { labelSelector: selector } }),
  ]);
  const sandboxes = await Promise.all(
    items.map(async (s): Promise<ObservedSandbox> => {
      const ready = s.state === PodSandboxState.SANDBOX_READY;
      let ip = "";
      if (ready) {
        const st = await runtime.PodSandboxStatus({ podSandboxId: s.id }).catch(() => undefined);
        ip = st?.status?.network?.ip ?? "";
      }
      return {
        id: s.id ?? "",
        attempt: s.metadata?.attempt ?? 0,
        ready,
        ip,
        createdAt: nanosToMs(s.createdAt),
      };
    }),
  );
  const observed = await Promise.all(
    containers.map(async (c): Promise<ObservedContainer | undefined> => {
      const st = (await runtime.ContainerStatus({ containerId: c.id }).catch(() => undefined))?.status;
      if (!st) return undefined;
      const ann = st.annotations ?? {};
      return {
        id: st.id ?? "",
        sandboxId: c.podSandboxId ?? "",
        name: st.labels?.[LABEL_CONTAINER_NAME] ?? st.metadata?.name ?? "",
        attempt: st.metadata?.attempt ?? 0,
        state: containerStates[st.state ?? 3] ?? "unknown",
        createdAt: nanosToMs(st.createdAt),
        startedAt: nanosToMs(st.startedAt),
        finishedAt: nanosToMs(st.finishedAt),
        exitCode: st.exitCode ?? 0,
        reason: st.reason ?? "",
        message: st.message ?? "",
        image: st.image?.image ?? "",
        imageRef: st.imageRef ?? "",
        restartCount: int(ann[ANNOTATION_RESTART_COUNT]),
        backoffStep: int(ann[ANNOTATION_BACKOFF_STEP]),
        hash: ann[ANNOTATION_HASH] ?? "",
        logPath: st.logPath ?? "",
      };
    }),
  );
  return {
    uid,
    sandboxes: sandboxes.sort((a, b) => b.createdAt - a.createdAt || b.attempt - a.attempt),
    containers: observed
      .filter((c): c is ObservedContainer => !!c)
      .sort((a, b) => b.createdAt - a.createdAt || b.attempt - a.attempt),
  };
}

/** The newest instance of each container name. */
export function latestByName(pod: ObservedPod): Map<string, ObservedContainer> {
  const out = new Map<string, ObservedContainer>();
  for (const c of pod.containers) if (!out.has(c.name)) out.set(c.name, c);
  return out;
}
