// ListContainers: every container, narrowed by id, sandbox, state and labels.

import type { ListContainersRequest, ListContainersResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { matchesLabels, observeExit } from "../lookup.js";
import { stateOf, toContainer } from "./container-status.js";

export async function listContainers(
  ctx: ShimContext,
  req: ListContainersRequest,
): Promise<ListContainersResponse> {
  const f = req.filter;
  const containers = [...ctx.store.containers.values()]
    .map((c) => observeExit(ctx, c))
    .filter((c) => !f?.id || c.id.startsWith(f.id))
    .filter((c) => !f?.podSandboxId || c.sandboxId.startsWith(f.podSandboxId))
    .filter((c) => !f?.state || stateOf(c) === f.state.state)
    .filter((c) => matchesLabels(c.spec.labels, f?.labelSelector))
    .sort((a, b) => a.createdAt - b.createdAt)
    .map(toContainer);
  return { containers };
}
