// StartContainer: hands the backend's launch command to a container monitor and waits until the
// process runs or has failed to start. A failed start (say, a command missing from the image) leaves
// the container EXITED with exit code 128 and reason StartError, as containerd reports it, and the
// call fails with the runtime's explanation.

import type { StartContainerRequest, StartContainerResponse } from "../../proto/runtime/v1/index.js";
import { nextState } from "../container-state.js";
import type { ShimContext } from "../context.js";
import { failedPrecondition, ShimError } from "../errors.js";
import { getContainer, getSandbox } from "../lookup.js";
import { launchMonitor } from "../monitor/launcher.js";

export async function startContainer(
  ctx: ShimContext,
  req: StartContainerRequest,
): Promise<StartContainerResponse> {
  const c = getContainer(ctx, req.containerId);
  nextState(c, "start");
  const sandbox = getSandbox(ctx, c.sandboxId);
  if (sandbox.state !== "ready")
    throw failedPrecondition(`pod sandbox ${sandbox.id} is not ready: its containers cannot start`);
  const launch = await ctx.backend.launch(c, sandbox);
  const outcome = await launchMonitor(ctx.store.containerDir(c.id), {
    ...launch,
    logPath: c.spec.logPath,
  });
  c.monitorPid = outcome.monitorPid;
  if (outcome.kind === "failed") {
    c.state = nextState(c, "start-failed");
    c.exitCode = outcome.exit.exitCode;
    c.finishedAt = outcome.exit.finishedAt;
    c.reason = "StartError";
    c.message = outcome.exit.startError ?? "";
    ctx.store.saveContainer(c);
    throw new ShimError("StartFailed", `failed to start container ${c.id}: ${c.message}`);
  }
  c.state = nextState(c, "start");
  c.pid = outcome.started.pid;
  c.startedAt = outcome.started.startedAt;
  ctx.store.saveContainer(c);
  return {};
}
