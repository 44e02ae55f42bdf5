// Removing everything a shim made under its root — every sandbox with its containers, network
// (CNI DEL, namespace), rootfs mounts and cgroups — without serving. For `k8ts down` and for tests
// that stop a node: killing the shim leaves containers running by design (they outlive restarts).

import type { Backend } from "./backends/backend.js";
import { openContext } from "./context.js";
import { removeContainerRecord } from "./rpc/remove-container.js";
import { removePodSandbox } from "./rpc/remove-pod-sandbox.js";

export async function teardown(
  root: string,
  backend: Backend,
): Promise<{ sandboxes: number; containers: number }> {
  const ctx = openContext({ root, backend });
  const counts = { sandboxes: ctx.store.sandboxes.size, containers: ctx.store.containers.size };
  for (const id of [...ctx.store.sandboxes.keys()]) await removePodSandbox(ctx, { podSandboxId: id });
  // Containers whose sandbox record is gone (a crash between the two removals).
  for (const c of [...ctx.store.containers.values()]) await removeContainerRecord(ctx, c);
  return counts;
}
