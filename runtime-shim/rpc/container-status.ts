// ContainerStatus: state, pid-independent times, exit code and reason (Completed, Error, OOMKilled,
// StartError), and where the log is.

import {
  type Container,
  ContainerState,
  type ContainerStatus,
  type ContainerStatusRequest,
  type ContainerStatusResponse,
} from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { getContainer } from "../lookup.js";
import type { ContainerRecord } from "../store.js";

const states = {
  created: ContainerState.CONTAINER_CREATED,
  running: ContainerState.CONTAINER_RUNNING,
  exited: ContainerState.CONTAINER_EXITED,
} as const;

export function stateOf(c: ContainerRecord): ContainerState {
  return states[c.state];
}

export function toContainer(c: ContainerRecord): Container {
  return {
    id: c.id,
    podSandboxId: c.sandboxId,
    metadata: { name: c.spec.name, attempt: c.spec.attempt },
    image: c.spec.image,
    imageRef: c.imageId,
    imageId: c.imageId,
    state: stateOf(c),
    createdAt: c.createdAt,
    labels: c.spec.labels,
    annotations: c.spec.annotations,
  };
}

export function toContainerStatus(c: ContainerRecord): ContainerStatus {
  return {
    id: c.id,
    metadata: { name: c.spec.name, attempt: c.spec.attempt },
    state: stateOf(c),
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
    exitCode: c.exitCode,
    image: c.spec.image,
    imageRef: c.imageId,
    imageId: c.imageId,
    reason: c.reason,
    message: c.message,
    labels: c.spec.labels,
    annotations: c.spec.annotations,
    mounts: c.spec.mounts,
    logPath: c.spec.logPath,
    resources: { linux: c.spec.resources },
    stopSignal: c.spec.stopSignal,
  };
}

export async function containerStatus(
  ctx: ShimContext,
  req: ContainerStatusRequest,
): Promise<ContainerStatusResponse> {
  const c = getContainer(ctx, req.containerId);
  return { status: toContainerStatus(c), info: req.verbose ? { pid: String(c.pid) } : {} };
}
