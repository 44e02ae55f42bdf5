// Exec (interactive, streaming): not implemented yet. CRI answers with a URL of a streaming server
// (SPDY/websocket) that k8ts does not run; ExecSync covers probes and one-shot commands.

import type { ExecRequest, ExecResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { ShimError } from "../errors.js";

export async function exec(_ctx: ShimContext, _req: ExecRequest): Promise<ExecResponse> {
  throw new ShimError("Unimplemented", "interactive exec is not implemented yet; use ExecSync");
}
