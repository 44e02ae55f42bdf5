// ExecSync: runs a command in a running container and returns its output and exit code (the kubelet's
// exec probes). A timeout is DEADLINE_EXCEEDED, which the kubelet treats as a failed probe.

import type { ExecSyncRequest, ExecSyncResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { failedPrecondition, invalidArgument, ShimError } from "../errors.js";
import { getContainer } from "../lookup.js";

export async function execSync(ctx: ShimContext, req: ExecSyncRequest): Promise<ExecSyncResponse> {
  const c = getContainer(ctx, req.containerId);
  if (!req.cmd?.length) throw invalidArgument("exec needs a command");
  if (c.state !== "running")
    throw failedPrecondition(`container ${c.id} is ${c.state}: exec needs a running container`);
  const timeoutMs = (req.timeout ?? 0) * 1000;
  const r = await ctx.backend.execSync(c, req.cmd, timeoutMs);
  if (r.timedOut)
    throw new ShimError(
      "DeadlineExceeded",
      `command ${JSON.stringify(req.cmd)} timed out after ${req.timeout}s`,
    );
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
}
