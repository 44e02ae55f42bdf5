// RemovePodSandbox: stops and removes everything in the pod, then the pod. Removing a sandbox that is
// already gone succeeds (CRI: remove calls are idempotent).

import type { RemovePodSandboxRequest, RemovePodSandboxResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { findSandbox, requireId } from "../lookup.js";
import { removeContainerRecord } from "./remove-container.js";

export async function removePodSandbox(
  ctx: ShimContext,
  req: RemovePodSandboxRequest,
): Promise<RemovePodSandboxResponse> {
  const sandbox = findSandbox(ctx, requireId(req.podSandboxId, "pod sandbox"));
  if (!sandbox) return {};
  for (const c of [...ctx.store.containers.values()].filter((c) => c.sandboxId === sandbox.id))
    await removeContainerRecord(ctx, c);
  await ctx.backend.stopSandbox(sandbox);
  ctx.store.deleteSandbox(sandbox.id);
  return {};
}
