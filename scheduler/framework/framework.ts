// One scheduling profile's plugins, run phase by phase (the kube-scheduler's frameworkImpl). It
// knows nothing about queues, caches or the API: it is handed a pod and nodes, and answers.

import type { Pod } from "../../api/index.js";
import type { CycleState } from "./cycle-state.js";
import type {
  ClusterEvent,
  FilterPlugin,
  NormalizeScorePlugin,
  Plugin,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from "./interface.js";
import { isEnqueueExtensions, isNormalizeScore, MAX_NODE_SCORE } from "./interface.js";
import type { NodeInfo } from "./node-info.js";
import { Status } from "./status.js";

export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

export interface FrameworkPlugins {
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  preScore: PreScorePlugin[];
  score: WeightedScorePlugin[];
}

/** A node that a Filter plugin turned down. */
export interface Rejection {
  node: string;
  plugin: string;
  status: Status;
}

export interface FeasibleResult {
  feasible: NodeInfo[];
  rejected: Rejection[];
  /** Nodes looked at (fewer than all when enough feasible ones were found first). */
  evaluated: number;
}

export interface ScoreResult {
  totals: Float64Array;
  /** Weighted, normalised scores per plugin, aligned with the feasible nodes. */
  byPlugin: { name: string; scores: Float64Array }[];
}

export class Framework {
  constructor(
    readonly schedulerName: string,
    readonly plugins: FrameworkPlugins,
  ) {}

  /** Every distinct plugin in this profile. */
  allPlugins(): Plugin[] {
    const p = this.plugins;
    return [
      ...new Set<Plugin>([...p.preFilter, ...p.filter, ...p.preScore, ...p.score.map((s) => s.plugin)]),
    ];
  }

  /** The events each plugin that can reject a pod listed (plugin name → events). */
  eventsToRegister(): Map<string, readonly ClusterEvent[]> {
    const out = new Map<string, readonly ClusterEvent[]>();
    for (const p of [...this.plugins.preFilter, ...this.plugins.filter]) {
      // A plugin that names no events could be woken by anything, as in Kubernetes.
      out.set(p.name, isEnqueueExtensions(p) ? p.eventsToRegister() : ALL_EVENTS);
    }
    return out;
  }

  /** Runs every PreFilter; the first non-success, non-skip status stops the attempt. */
  runPreFilter(state: CycleState, pod: Pod): { status: Status; plugin?: string } {
    for (const p of this.plugins.preFilter) {
      const s = p.preFilter(state, pod);
      if (s.code === "Skip") state.skipFilter.add(p.name);
      else if (!s.isSuccess()) return { status: s, plugin: p.name };
    }
    return { status: Status.success };
  }

  /** Runs the Filters for one node; the first rejection wins (its plugin is named). */
  runFilter(state: CycleState, pod: Pod, node: NodeInfo): { status: Status; plugin?: string } {
    for (const p of this.activeFilters(state)) {
      const s = p.filter(state, pod, node);
      if (s !== Status.success && !s.isSuccess()) return { status: s, plugin: p.name };
    }
    return { status: Status.success };
  }

  /**
   * Filters nodes starting at `start` (wrapping around), stopping once `wanted` feasible nodes are
   * found: Kubernetes' percentageOfNodesToScore, which bounds the work per decision on big clusters.
   * This is the hot loop of the scheduler (nodes × filters per pod): it allocates only for rejections.
   */
  findFeasible(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
    start: number,
    wanted: number,
  ): FeasibleResult {
    const filters = this.activeFilters(state);
    const nf = filters.length;
    const feasible: NodeInfo[] = [];
    const rejected: Rejection[] = [];
    const n = nodes.length;
    let evaluated = 0;
    let i = start;
    for (; evaluated < n && feasible.length < wanted; evaluated++) {
      const node = nodes[i]!;
      if (++i === n) i = 0;
      let failed: Rejection | undefined;
      for (let f = 0; f < nf; f++) {
        const s = filters[f]!.filter(state, pod, node);
        if (s !== Status.success && !s.isSuccess()) {
          failed = { node: node.name, plugin: filters[f]!.name, status: s };
          break;
        }
      }
      if (failed) rejected.push(failed);
      else feasible.push(node);
    }
    return { feasible, rejected, evaluated };
  }

  private activeFilters(state: CycleState): FilterPlugin[] {
    const all = this.plugins.filter;
    return state.skipFilter.size === 0 ? all : all.filter((p) => !state.skipFilter.has(p.name));
  }

  /** PreScore, Score, NormalizeScore and weights over the feasible nodes. */
  runScore(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { status: Status; result?: ScoreResult } {
    for (const p of this.plugins.preScore) {
      const s = p.preScore(state, pod, nodes);
      if (s.code === "Skip") state.skipScore.add(p.name);
      else if (!s.isSuccess()) return { status: s };
    }
    const totals = new Float64Array(nodes.length);
    const byPlugin: ScoreResult["byPlugin"] = [];
    for (const { plugin, weight } of this.plugins.score) {
      if (weight === 0 || state.skipScore.has(plugin.name)) continue;
      const scores = new Float64Array(nodes.length);
      for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score(state, pod, nodes[i]!);
      if (isNormalizeScore(plugin)) (plugin as NormalizeScorePlugin).normalizeScore(state, pod, scores);
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i]!;
        if (!(s >= 0 && s <= MAX_NODE_SCORE)) {
          return {
            status: Status.error(
              `plugin ${plugin.name} scored ${nodes[i]!.name} ${s}, outside 0..${MAX_NODE_SCORE}`,
            ),
          };
        }
        scores[i] = s * weight;
        totals[i] += scores[i]!;
      }
      byPlugin.push({ name: plugin.name, scores });
    }
    return { status: Status.success, result: { totals, byPlugin } };
  }
}

const ALL_EVENTS: readonly ClusterEvent[] = [
  "NodeAdd",
  "NodeDelete",
  "NodeUpdateAllocatable",
  "NodeUpdateLabel",
  "NodeUpdateTaint",
  "NodeUpdateCondition",
  "AssignedPodAdd",
  "AssignedPodDelete",
  "AssignedPodUpdate",
];
