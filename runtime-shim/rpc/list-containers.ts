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
  // The state filter needs exits folded in; the others do not, so a pod's lookup (the node agent's
  // label selector) reads only that pod's exit reports, not every container's.
  const containers = [...ctx.store.containers.values()]
    .filter((c) => !f?.id || c.id.startsWith(f.id))
    .filter((c) => !f?.podSandboxId || c.sandboxId.startsWith(f.podSandboxId))
    .filter((c) => matchesLabels(c.spec.labels, f?.labelSelector))
    .map((c) => observeExit(ctx, c))
    .filter((c) => !f?.state || stateOf(c) === f.state.state)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map(toContainer);
  return { containers };
}
