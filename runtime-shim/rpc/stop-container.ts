// StopContainer: the stop signal (SIGTERM unless the container asks for another), then SIGKILL once
// `timeout` seconds have passed, as the kubelet's grace period works. Stopping a container that is
// not running succeeds.

import {
  Signal,
  type StopContainerRequest,
  type StopContainerResponse,
} from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { ShimError } from "../errors.js";
import { getContainer, waitForExit } from "../lookup.js";
import type { ContainerRecord } from "../store.js";

/** How long to wait for the kernel to reap a container after SIGKILL before calling it stuck. */
const killWaitMs = 10_000;

const signalNames: Partial<Record<Signal, NodeJS.Signals>> = {
  [Signal.SIGNAL_SIGHUP]: "SIGHUP",
  [Signal.SIGNAL_SIGINT]: "SIGINT",
  [Signal.SIGNAL_SIGKILL]: "SIGKILL",
  [Signal.SIGNAL_SIGQUIT]: "SIGQUIT",
  [Signal.SIGNAL_SIGTERM]: "SIGTERM",
  [Signal.SIGNAL_SIGUSR1]: "SIGUSR1",
  [Signal.SIGNAL_SIGUSR2]: "SIGUSR2",
  [Signal.SIGNAL_SIGWINCH]: "SIGWINCH",
};

export async function stopContainer(
  ctx: ShimContext,
  req: StopContainerRequest,
): Promise<StopContainerResponse> {
  const c = getContainer(ctx, req.containerId);
  await stopRunningContainer(ctx, c, Math.max(0, req.timeout ?? 0));
  return {};
}

export async function stopRunningContainer(
  ctx: ShimContext,
  c: ContainerRecord,
  timeoutSeconds: number,
): Promise<void> {
  if (c.state !== "running") return;
  if (timeoutSeconds > 0) {
    await ctx.backend.kill(c, signalNames[c.spec.stopSignal as Signal] ?? "SIGTERM");
    if (await waitForExit(ctx, c, timeoutSeconds * 1000)) return;
  }
  await ctx.backend.kill(c, "SIGKILL");
  if (!(await waitForExit(ctx, c, killWaitMs)))
    throw new ShimError(
      "DeadlineExceeded",
      `container ${c.id} did not exit within ${killWaitMs} ms of SIGKILL`,
    );
}
