// The CRI services: each RPC name maps to its handler file in rpc/. Handlers take the context and
// the request; errors are mapped to gRPC statuses in one place (errors.ts) by the server.

import type { ImageServiceHandlers, RuntimeServiceHandlers } from "../proto/runtime/v1/index.js";
import type { ShimContext } from "./context.js";
import { containerStats, listContainerStats } from "./rpc/container-stats.js";
import { containerStatus } from "./rpc/container-status.js";
import { createContainer } from "./rpc/create-container.js";
import { exec } from "./rpc/exec.js";
import { execSync } from "./rpc/exec-sync.js";
import { imageFsInfo } from "./rpc/image-fs-info.js";
import { imageStatus } from "./rpc/image-status.js";
import { listContainers } from "./rpc/list-containers.js";
import { listImages } from "./rpc/list-images.js";
import { listPodSandbox } from "./rpc/list-pod-sandbox.js";
import { podSandboxStatus } from "./rpc/pod-sandbox-status.js";
import { pullImage } from "./rpc/pull-image.js";
import { removeContainer } from "./rpc/remove-container.js";
import { removeImage } from "./rpc/remove-image.js";
import { removePodSandbox } from "./rpc/remove-pod-sandbox.js";
import { reopenContainerLog } from "./rpc/reopen-container-log.js";
import { runPodSandbox } from "./rpc/run-pod-sandbox.js";
import { startContainer } from "./rpc/start-container.js";
import { status } from "./rpc/status.js";
import { stopContainer } from "./rpc/stop-container.js";
import { stopPodSandbox } from "./rpc/stop-pod-sandbox.js";
import { version } from "./rpc/version.js";

export function runtimeService(ctx: ShimContext): RuntimeServiceHandlers {
  return {
    Version: (r) => version(ctx, r),
    Status: (r) => status(ctx, r),
    RunPodSandbox: (r) => runPodSandbox(ctx, r),
    StopPodSandbox: (r) => stopPodSandbox(ctx, r),
    RemovePodSandbox: (r) => removePodSandbox(ctx, r),
    PodSandboxStatus: (r) => podSandboxStatus(ctx, r),
    ListPodSandbox: (r) => listPodSandbox(ctx, r),
    CreateContainer: (r) => createContainer(ctx, r),
    StartContainer: (r) => startContainer(ctx, r),
    StopContainer: (r) => stopContainer(ctx, r),
    RemoveContainer: (r) => removeContainer(ctx, r),
    ListContainers: (r) => listContainers(ctx, r),
    ContainerStatus: (r) => containerStatus(ctx, r),
    ExecSync: (r) => execSync(ctx, r),
    Exec: (r) => exec(ctx, r),
    ContainerStats: (r) => containerStats(ctx, r),
    ListContainerStats: (r) => listContainerStats(ctx, r),
    ReopenContainerLog: (r) => reopenContainerLog(ctx, r),
  };
}

export function imageService(ctx: ShimContext): ImageServiceHandlers {
  return {
    ListImages: (r) => listImages(ctx, r),
    ImageStatus: (r) => imageStatus(ctx, r),
    PullImage: (r) => pullImage(ctx, r),
    RemoveImage: (r) => removeImage(ctx, r),
    ImageFsInfo: (r) => imageFsInfo(ctx, r),
  };
}
