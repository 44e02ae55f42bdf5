// Version: the CRI handshake. runtimeApiVersion "v1" is what a kubelet checks for.

import type { VersionRequest, VersionResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";

/** The kubelet-side API version every CRI runtime answers with. */
const kubeRuntimeApiVersion = "0.1.0";

export async function version(ctx: ShimContext, _req: VersionRequest): Promise<VersionResponse> {
  const limits = ctx.backend.enforcesLimits ? "" : "; resource limits not enforced";
  return {
    version: kubeRuntimeApiVersion,
    runtimeName: "k8ts",
    runtimeVersion: `${ctx.shimVersion} (backend ${ctx.backend.name}${limits})`,
    runtimeApiVersion: "v1",
  };
}
