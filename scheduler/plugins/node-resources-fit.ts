// NodeResourcesFit — phases: PreFilter, Filter, Score.
// Filter: the node must have room for the pod's requests (cpu, memory) and one more pod under its
// max pods; a pod without requests counts 0 for fitting. Score: a scoring strategy (MostAllocated
// by default here: bin-packing; LeastAllocated; RequestedToCapacityRatio) over the resources with
// their weights, where request-less containers count 100m cpu / 200 MiB, as in the kube-scheduler,
// so such pods still pack or spread sensibly.

import type { Pod } from "../../api/index.js";
import type { CycleState } from "../framework/cycle-state.js";
import type {
  ClusterEvent,
  EnqueueExtensions,
  FilterPlugin,
  PreFilterPlugin,
  ScorePlugin,
} from "../framework/interface.js";
import { type NodeInfo, type PodRequests, podRequests } from "../framework/node-info.js";
import { ConfigError, checkArgKeys, type PluginFactory } from "../framework/registry.js";
import { Status } from "../framework/status.js";
import { leastAllocated } from "./scoring/least-allocated.js";
import { mostAllocated } from "./scoring/most-allocated.js";
import { requestedToCapacityRatio, validateShape } from "./scoring/requested-to-capacity-ratio.js";
import type { ScoringStrategy } from "./scoring/strategy.js";

export const NAME = "NodeResourcesFit";
const KEY = `PreFilter${NAME}`;
const SCORED_RESOURCES = ["cpu", "memory"] as const;
type ScoredResource = (typeof SCORED_RESOURCES)[number];

// The filter's answers, made once: most nodes a busy scheduler turns down are full, and a fresh
// Status per node per pod would be garbage at 1,000 nodes × 1,000 pods/s.
const TOO_MANY_PODS = 1;
const NO_CPU = 2;
const NO_MEMORY = 4;
const MISFITS: Status[] = Array.from({ length: 8 }, (_, bits) => {
  const reasons: string[] = [];
  if (bits & TOO_MANY_PODS) reasons.push("Too many pods");
  if (bits & NO_CPU) reasons.push("Insufficient cpu");
  if (bits & NO_MEMORY) reasons.push("Insufficient memory");
  return reasons.length ? Status.unschedulable(...reasons) : Status.success;
});

export interface FitArgs {
  strategy: ScoringStrategy;
  /** Weights for cpu and memory, in that order. */
  weights: [number, number];
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NAME;
  private readonly requested = [0, 0];
  private readonly allocatable = [0, 0];

  constructor(private readonly args: FitArgs = { strategy: mostAllocated, weights: [1, 1] }) {}

  get strategy(): string {
    return this.args.strategy.type;
  }

  preFilter(state: CycleState, pod: Pod): Status {
    state.write(KEY, podRequests(pod));
    return Status.success;
  }

  filter(state: CycleState, _pod: Pod, node: NodeInfo): Status {
    const r = state.read<PodRequests>(KEY);
    const a = node.allocatable;
    let misfit = 0;
    if (node.pods.size + 1 > a.pods) misfit |= TOO_MANY_PODS;
    if (r.milliCPU > 0 && node.requestedMilliCPU + r.milliCPU > a.milliCPU) misfit |= NO_CPU;
    if (r.memory > 0 && node.requestedMemory + r.memory > a.memory) misfit |= NO_MEMORY;
    return MISFITS[misfit]!;
  }

  score(state: CycleState, _pod: Pod, node: NodeInfo): number {
    const r = state.read<PodRequests>(KEY);
    // Scratch arrays reused across calls: scoring runs once per feasible node per pod.
    this.requested[0] = node.nonZeroMilliCPU + r.nonZeroMilliCPU;
    this.requested[1] = node.nonZeroMemory + r.nonZeroMemory;
    this.allocatable[0] = node.allocatable.milliCPU;
    this.allocatable[1] = node.allocatable.memory;
    return this.args.strategy.score(this.requested, this.allocatable, this.args.weights);
  }

  eventsToRegister(): readonly ClusterEvent[] {
    return ["AssignedPodDelete", "NodeAdd", "NodeUpdateAllocatable"];
  }
}

/**
 * args: { scoringStrategy: { type: MostAllocated | LeastAllocated | RequestedToCapacityRatio,
 *         resources: [{ name: cpu|memory, weight: 1..100 }], requestedToCapacityRatio: { shape } } }
 */
export const factory: PluginFactory = (args) => {
  checkArgKeys(NAME, args, ["scoringStrategy"]);
  const s = (args?.scoringStrategy ?? {}) as Record<string, unknown>;
  if (typeof s !== "object" || Array.isArray(s))
    throw new ConfigError(`${NAME}: scoringStrategy must be a mapping`);
  checkArgKeys(`${NAME}.scoringStrategy`, s, ["type", "resources", "requestedToCapacityRatio"]);
  const type = s.type ?? "MostAllocated";
  let strategy: ScoringStrategy;
  if (type === "MostAllocated") strategy = mostAllocated;
  else if (type === "LeastAllocated") strategy = leastAllocated;
  else if (type === "RequestedToCapacityRatio") {
    const rtc = (s.requestedToCapacityRatio ?? {}) as { shape?: unknown };
    strategy = requestedToCapacityRatio(validateShape(rtc.shape));
  } else {
    throw new ConfigError(
      `${NAME}: unknown scoringStrategy.type "${String(type)}" (known: MostAllocated, LeastAllocated, RequestedToCapacityRatio)`,
    );
  }
  const weights: [number, number] = s.resources === undefined ? [1, 1] : [0, 0];
  if (s.resources !== undefined) {
    if (!Array.isArray(s.resources))
      throw new ConfigError(`${NAME}: scoringStrategy.resources must be a list`);
    for (const [i, r] of (s.resources as { name?: unknown; weight?: unknown }[]).entries()) {
      const idx = SCORED_RESOURCES.indexOf(r?.name as ScoredResource);
      if (idx < 0) {
        throw new ConfigError(
          `${NAME}: scoringStrategy.resources[${i}].name "${String(r?.name)}" is not supported (known: cpu, memory)`,
        );
      }
      const w = r.weight ?? 1;
      if (!Number.isInteger(w) || (w as number) < 1 || (w as number) > 100) {
        throw new ConfigError(
          `${NAME}: scoringStrategy.resources[${i}].weight must be a whole number 1..100, got ${String(w)}`,
        );
      }
      weights[idx] = w as number;
    }
  }
  return new NodeResourcesFit({ strategy, weights });
};
