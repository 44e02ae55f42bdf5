// PodSandboxStatus: state, pod IP and namespace modes of one sandbox.

import {
  NamespaceMode,
  PodSandboxState,
  type PodSandboxStatusRequest,
  type PodSandboxStatusResponse,
} from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { getSandbox } from "../lookup.js";

export async function podSandboxStatus(
  ctx: ShimContext,
  req: PodSandboxStatusRequest,
): Promise<PodSandboxStatusResponse> {
  const s = getSandbox(ctx, req.podSandboxId);
  return {
    status: {
      id: s.id,
      metadata: s.config.metadata,
      state: s.state === "ready" ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY,
      createdAt: s.createdAt,
      network: { ip: s.ip, additionalIps: [] },
      linux: {
        namespaces: {
          options: {
            network: s.hostNetwork ? NamespaceMode.NODE : NamespaceMode.POD,
            pid: NamespaceMode.CONTAINER,
            ipc: NamespaceMode.POD,
          },
        },
      },
      labels: s.config.labels ?? {},
      annotations: s.config.annotations ?? {},
      runtimeHandler: s.runtimeHandler,
    },
    info: {},
    timestamp: ctx.now(),
  };
}
