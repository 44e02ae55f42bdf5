// Explained decisions, for teaching: for the last attempt of each recent pod, which nodes were
// filtered out by which plugin and why, and how the best nodes scored, plugin by plugin. Served at
// /debug/decisions/<namespace>/<pod>. Bounded: the newest `capacity` pods, at most
// MAX_NODES_PER_REASON node names per reason and the TOP_SCORES best nodes.

import { MAX_NODES_NAMED } from "./framework/framework.js";
import type { ScheduleResult } from "./schedule-pod.js";

export interface FilterOutcome {
  plugin: string;
  reason: string;
  count: number;
  /** Up to MAX_NODES_PER_REASON of the nodes. */
  nodes: string[];
}

export interface NodeScore {
  node: string;
  total: number;
  /** Weighted score per plugin (they add up to total). */
  plugins: Record<string, number>;
}

export interface Decision {
  pod: string;
  uid?: string;
  profile: string;
  attempt: number;
  time: string;
  result: "Scheduled" | "Unschedulable" | "Error" | "BindFailed";
  node?: string;
  message: string;
  nodes: { total: number; evaluated: number; feasible: number };
  filtered: FilterOutcome[];
  scores: NodeScore[];
}

export const MAX_NODES_PER_REASON = MAX_NODES_NAMED;
export const TOP_SCORES = 10;

/** Turns the algorithm's result into a record (plain data, bounded size). */
export function explain(
  r: ScheduleResult,
  base: Pick<Decision, "pod" | "uid" | "profile" | "attempt" | "time">,
): Decision {
  const filtered = new Map<string, FilterOutcome>();
  for (const rej of r.rejected) {
    for (const reason of rej.status.reasons.length ? rej.status.reasons : [rej.status.code]) {
      const k = `${rej.plugin}\u0000${reason}`;
      let f = filtered.get(k);
      if (!f) {
        f = { plugin: rej.plugin, reason, count: 0, nodes: [] };
        filtered.set(k, f);
      }
      f.count += rej.count;
      for (const node of rej.nodes) if (f.nodes.length < MAX_NODES_PER_REASON) f.nodes.push(node);
    }
  }
  const scores: NodeScore[] = [];
  if (r.scores) {
    const { totals, byPlugin } = r.scores;
    for (const i of topIndices(totals, TOP_SCORES)) {
      const plugins: Record<string, number> = {};
      for (const p of byPlugin) plugins[p.name] = round(p.scores[i]!);
      scores.push({ node: r.feasible[i]!.name, total: round(totals[i]!), plugins });
    }
  } else if (r.feasible.length === 1) {
    scores.push({ node: r.feasible[0]!.name, total: 0, plugins: {} });
  }
  const result = r.status.isSuccess() ? "Scheduled" : r.status.code === "Error" ? "Error" : "Unschedulable";
  return {
    ...base,
    result,
    ...(r.node ? { node: r.node } : {}),
    message: r.node ? `chosen: ${r.node}` : r.message,
    nodes: { total: r.nodesTotal, evaluated: r.evaluated, feasible: r.feasible.length },
    filtered: [...filtered.values()].sort((a, b) => b.count - a.count),
    scores,
  };
}

/** Indices of the k largest values, largest first (chosen node first among equals is not promised). */
function topIndices(values: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (top.length === k && values[i]! <= values[top[k - 1]!]!) continue;
    let j = top.length < k ? top.length : k - 1;
    top[j] = i;
    while (j > 0 && values[top[j]!]! > values[top[j - 1]!]!) {
      [top[j], top[j - 1]] = [top[j - 1]!, top[j]!];
      j--;
    }
  }
  return top;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The newest decision per pod, for the newest `capacity` pods. */
export class DecisionLog {
  private readonly byPod = new Map<string, Decision>();

  constructor(private readonly capacity = 5000) {}

  record(d: Decision): void {
    this.byPod.delete(d.pod);
    this.byPod.set(d.pod, d);
    if (this.byPod.size > this.capacity) this.byPod.delete(this.byPod.keys().next().value!);
  }

  get(pod: string): Decision | undefined {
    return this.byPod.get(pod);
  }

  /** Newest first. */
  list(limit = 100): Decision[] {
    return [...this.byPod.values()].slice(-limit).reverse();
  }
}
