// What a node has promised: the sum of the requests of the non-terminated pods bound to it against
// its allocatable resources — the same arithmetic the scheduler's NodeResourcesFit uses. A pod's
// request is the larger of its containers' sum and its largest init container (init containers run
// one at a time, before the others), plus its overhead.

import { cpuMillis, memoryBytes, type Node, type Pod } from "../../api/index.js";

export interface PodRequests {
  cpuMillis: number;
  memoryBytes: number;
}

export function podRequests(p: Pod): PodRequests {
  const sum = (list: { resources?: { requests?: Record<string, string | number> } }[] = []) =>
    list.reduce(
      (acc, c) => ({
        cpuMillis: acc.cpuMillis + cpuMillis(c.resources?.requests?.cpu),
        memoryBytes: acc.memoryBytes + memoryBytes(c.resources?.requests?.memory),
      }),
      { cpuMillis: 0, memoryBytes: 0 },
    );
  const main = sum(p.spec?.containers);
  const init = (p.spec?.initContainers ?? []).map((c) => sum([c]));
  const overhead = p.spec?.overhead ?? {};
  return {
    cpuMillis: Math.max(main.cpuMillis, ...init.map((i) => i.cpuMillis)) + cpuMillis(overhead.cpu),
    memoryBytes: Math.max(main.memoryBytes, ...init.map((i) => i.memoryBytes)) + memoryBytes(overhead.memory),
  };
}

export const isTerminated = (p: Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

export interface Allocation {
  node: string;
  cpu: { requested: number; allocatable: number };
  memory: { requested: number; allocatable: number };
  pods: { requested: number; allocatable: number };
}

/** `pods` may be every pod in the cluster: only the node's non-terminated ones count. */
export function nodeAllocation(n: Node, pods: Pod[]): Allocation {
  const mine = pods.filter((p) => p.spec?.nodeName === n.metadata.name && !isTerminated(p));
  const req = mine.map(podRequests);
  const alloc = n.status?.allocatable ?? {};
  return {
    node: n.metadata.name ?? "",
    cpu: { requested: req.reduce((a, r) => a + r.cpuMillis, 0), allocatable: cpuMillis(alloc.cpu) },
    memory: { requested: req.reduce((a, r) => a + r.memoryBytes, 0), allocatable: memoryBytes(alloc.memory) },
    pods: { requested: mine.length, allocatable: Number(alloc.pods ?? 0) },
  };
}
