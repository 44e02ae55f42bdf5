// Exec (interactive): checks the request and returns a single-use URL on the shim's streaming
// server (streaming/server.ts), where the caller opens the stdin/stdout/stderr stream, as CRI does.
// With a TTY the terminal carries both stdout and stderr, so asking for stderr too is refused, as
// containerd refuses it.

import type { ExecRequest, ExecResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { failedPrecondition, invalidArgument, ShimError } from "../errors.js";
import { getContainer } from "../lookup.js";

export async function exec(ctx: ShimContext, req: ExecRequest): Promise<ExecResponse> {
  const c = getContainer(ctx, req.containerId);
  if (!req.cmd?.length) throw invalidArgument("exec needs a command");
  if (req.tty && req.stderr)
    throw invalidArgument("tty and stderr cannot both be true: the terminal carries stderr");
  if (!req.stdout && !req.stderr && !req.stdin)
    throw invalidArgument("exec needs at least one of stdin, stdout, stderr");
  if (c.state !== "running")
    throw failedPrecondition(`container ${c.id} is ${c.state}: exec needs a running container`);
  if (!ctx.streaming) throw new ShimError("Unimplemented", "this shim runs without a streaming server");
  const tty = !!req.tty;
  return {
    url: ctx.streaming.register({
      launch: ctx.backend.execCommand(c, req.cmd, tty),
      stdin: !!req.stdin,
      tty,
    }),
  };
}
