// ContainerStats and ListContainerStats: cpu and memory use of running containers.

import type {
  ContainerStats,
  ContainerStatsRequest,
  ContainerStatsResponse,
  ListContainerStatsRequest,
  ListContainerStatsResponse,
} from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { getContainer, matchesLabels, observeExit } from "../lookup.js";
import type { ContainerRecord } from "../store.js";

async function statsOf(ctx: ShimContext, c: ContainerRecord): Promise<ContainerStats> {
  const attributes = {
    id: c.id,
    metadata: { name: c.spec.name, attempt: c.spec.attempt },
    labels: c.spec.labels,
    annotations: c.spec.annotations,
  };
  if (c.state !== "running") return { attributes };
  const u = await ctx.backend.stats(c);
  const timestamp = ctx.now();
  return {
    attributes,
    cpu: { timestamp, usageCoreNanoSeconds: { value: u.cpuNanos } },
    memory: { timestamp, workingSetBytes: { value: u.memoryWorkingSetBytes } },
  };
}

export async function containerStats(
  ctx: ShimContext,
  req: ContainerStatsRequest,
): Promise<ContainerStatsResponse> {
  return { stats: await statsOf(ctx, getContainer(ctx, req.containerId)) };
}

export async function listContainerStats(
  ctx: ShimContext,
  req: ListContainerStatsRequest,
): Promise<ListContainerStatsResponse> {
  const f = req.filter;
  const selected = [...ctx.store.containers.values()]
    .map((c) => observeExit(ctx, c))
    .filter((c) => c.state === "running")
    .filter((c) => !f?.id || c.id.startsWith(f.id))
    .filter((c) => !f?.podSandboxId || c.sandboxId.startsWith(f.podSandboxId))
    .filter((c) => matchesLabels(c.spec.labels, f?.labelSelector));
  return { stats: await Promise.all(selected.map((c) => statsOf(ctx, c))) };
}
