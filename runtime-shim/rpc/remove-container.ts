// RemoveContainer: kills the container if it still runs, frees what the backend made, and forgets
// it. The log file stays (the kubelet owns log files). Removing an absent container succeeds.

import type { RemoveContainerRequest, RemoveContainerResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { findContainer, requireId } from "../lookup.js";
import type { ContainerRecord } from "../store.js";
import { stopRunningContainer } from "./stop-container.js";

export async function removeContainer(
  ctx: ShimContext,
  req: RemoveContainerRequest,
): Promise<RemoveContainerResponse> {
  const c = findContainer(ctx, requireId(req.containerId, "container"));
  if (c) await removeContainerRecord(ctx, c);
  return {};
}

export async function removeContainerRecord(ctx: ShimContext, c: ContainerRecord): Promise<void> {
  await stopRunningContainer(ctx, c, 0);
  await ctx.backend.removeContainer(c);
  ctx.store.deleteContainer(c.id);
}
