// Status: the runtime's conditions, as the kubelet reads them for the node's Ready condition.

import type { StatusRequest, StatusResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";

export async function status(ctx: ShimContext, _req: StatusRequest): Promise<StatusResponse> {
  return {
    status: {
      conditions: [
        { type: "RuntimeReady", status: true, reason: "", message: "" },
        { type: "NetworkReady", status: true, reason: "", message: "" },
      ],
    },
    info: {
      backend: ctx.backend.name,
      limitsEnforced: String(ctx.backend.enforcesLimits),
      root: ctx.root,
    },
  };
}
