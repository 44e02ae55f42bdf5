// StopPodSandbox: force-stops the pod's containers and releases its network. Idempotent, as CRI asks.

import type { StopPodSandboxRequest, StopPodSandboxResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { getSandbox } from "../lookup.js";
import { stopRunningContainer } from "./stop-container.js";

export async function stopPodSandbox(
  ctx: ShimContext,
  req: StopPodSandboxRequest,
): Promise<StopPodSandboxResponse> {
  const sandbox = getSandbox(ctx, req.podSandboxId);
  for (const c of [...ctx.store.containers.values()].filter((c) => c.sandboxId === sandbox.id))
    await stopRunningContainer(ctx, c, 0);
  await ctx.backend.stopSandbox(sandbox);
  if (sandbox.state !== "notready") {
    sandbox.state = "notready";
    ctx.store.saveSandbox(sandbox);
  }
  return {};
}
