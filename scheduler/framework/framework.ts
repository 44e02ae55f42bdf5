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

/** Node names kept per rejection group: enough to explain, bounded however many nodes there are. */
export const MAX_NODES_NAMED = 20;

/**
 * Nodes that one Filter plugin turned down with one Status. Plugins return shared Status values for
 * their usual answers ("Insufficient cpu"), so a decision over 1,000 nodes yields a few groups, not
 * an object per rejected node.
 */
export interface RejectionGroup {
  plugin: string;
  status: Status;
  count: number;
  /** The first MAX_NODES_NAMED of them. */
  nodes: string[];
}

export interface FeasibleResult {
  feasible: NodeInfo[];
  rejected: RejectionGroup[];
  /** Nodes looked at (fewer than all when enough feasible ones were found first). */
  evaluated: number;
}

export interface ScoreResult {
  /** Valid until the framework's next runScore: its arrays are reused. */
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
   * This is the hot loop of the scheduler (nodes × filters per pod): it allocates nothing per node
   * beyond a name in a rejection group.
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
    // Sized once (grown by push, its copies were a sixth of what the scheduler allocated).
    const feasible: NodeInfo[] = new Array(Math.min(wanted, nodes.length));
    let found = 0;
    const rejected: RejectionGroup[] = [];
    // Per filter: its groups by Status (the last one used is checked first: runs of full nodes).
    const groups: (Map<Status, RejectionGroup> | undefined)[] = new Array(nf);
    let last: RejectionGroup | undefined;
    const n = nodes.length;
    let evaluated = 0;
    let i = start;
    for (; evaluated < n && found < wanted; evaluated++) {
      const node = nodes[i]!;
      if (++i === n) i = 0;
      let f = 0;
      let s: Status = Status.success;
      for (; f < nf; f++) {
        s = filters[f]!.filter(state, pod, node);
        if (s !== Status.success && !s.isSuccess()) break;
      }
      if (f === nf) {
        feasible[found++] = node;
        continue;
      }
      let g = last !== undefined && last.status === s && last.plugin === filters[f]!.name ? last : undefined;
      if (!g) {
        let byStatus = groups[f];
        if (!byStatus) {
          byStatus = new Map();
          groups[f] = byStatus;
        }
        g = byStatus.get(s);
        if (!g) {
          g = { plugin: filters[f]!.name, status: s, count: 0, nodes: [] };
          byStatus.set(s, g);
          rejected.push(g);
        }
      }
      last = g;
      g.count++;
      if (g.nodes.length < MAX_NODES_NAMED) g.nodes.push(node.name);
    }
    feasible.length = found;
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
    const totals = this.scratchScores(0, nodes.length);
    const byPlugin: ScoreResult["byPlugin"] = [];
    let used = 1;
    for (const { plugin, weight } of this.plugins.score) {
      if (weight === 0 || state.skipScore.has(plugin.name)) continue;
      const scores = this.scratchScores(used++, nodes.length);
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

  /**
   * Score arrays, one per slot, reused from one attempt to the next: fresh ones of a few hundred
   * entries for every decision were a third of all the scheduler allocated. So a ScoreResult holds
   * only until this framework scores again (the decision log copies what it keeps at once).
   */
  private readonly scratch: Float64Array[] = [];

  private scratchScores(slot: number, n: number): Float64Array {
    let buf = this.scratch[slot];
    if (!buf || buf.length < n) {
      buf = new Float64Array(Math.max(n, 2 * (buf?.length ?? 0)));
      this.scratch[slot] = buf;
    }
    return buf.subarray(0, n).fill(0);
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
