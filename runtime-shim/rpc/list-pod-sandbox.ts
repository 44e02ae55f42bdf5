// ListPodSandbox: every sandbox, narrowed by the optional id, state and label filter.

import {
  type ListPodSandboxRequest,
  type ListPodSandboxResponse,
  PodSandboxState,
} from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { matchesLabels } from "../lookup.js";

export async function listPodSandbox(
  ctx: ShimContext,
  req: ListPodSandboxRequest,
): Promise<ListPodSandboxResponse> {
  const f = req.filter;
  const items = [...ctx.store.sandboxes.values()]
    .filter((s) => !f?.id || s.id.startsWith(f.id))
    .filter((s) => {
      if (!f?.state) return true;
      const state = s.state === "ready" ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
      return state === f.state.state;
    })
    .filter((s) => matchesLabels(s.config.labels ?? {}, f?.labelSelector))
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((s) => ({
      id: s.id,
      metadata: s.config.metadata,
      state: s.state === "ready" ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY,
      createdAt: s.createdAt,
      labels: s.config.labels ?? {},
      annotations: s.config.annotations ?? {},
      runtimeHandler: s.runtimeHandler,
    }));
  return { items };
}
