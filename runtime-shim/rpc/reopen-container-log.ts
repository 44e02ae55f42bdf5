// ReopenContainerLog: after the node agent renamed a running container's log file (rotation), the
// container's monitor opens the log path again, so new entries go to a new file. The monitor
// listens on a FIFO in the container's state directory (monitor.c); the call returns once the new
// file exists. A container that is not running has no monitor to ask: that is an error, as the
// CRI allows, and the caller renames the file back.

import { existsSync } from "node:fs";
import { basename, dirname } from "node:path";
import type { ReopenContainerLogRequest, ReopenContainerLogResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { failedPrecondition, ShimError } from "../errors.js";
import { getContainer } from "../lookup.js";
import { askReopenLog } from "../monitor/launcher.js";
import { waitInDir } from "../monitor/on-change.js";

const REOPEN_TIMEOUT_MS = 5000;

export async function reopenContainerLog(
  ctx: ShimContext,
  req: ReopenContainerLogRequest,
): Promise<ReopenContainerLogResponse> {
  const c = getContainer(ctx, req.containerId);
  if (c.state !== "running")
    throw failedPrecondition(`container ${c.id} is not running: its log cannot be reopened`);
  try {
    askReopenLog(ctx.store.containerDir(c.id));
  } catch (err) {
    throw failedPrecondition(
      `container ${c.id}: its monitor is not listening (${(err as NodeJS.ErrnoException).code}); is it still running?`,
    );
  }
  const logPath = c.spec.logPath;
  const reopened = await waitInDir(
    dirname(logPath),
    [basename(logPath)],
    { fallbackMs: 50, timeoutMs: REOPEN_TIMEOUT_MS },
    () => (existsSync(logPath) ? true : undefined),
  );
  if (!reopened) {
    throw new ShimError(
      "DeadlineExceeded",
      `container ${c.id}: the log file ${logPath} was not reopened within ${REOPEN_TIMEOUT_MS} ms`,
    );
  }
  return {};
}
