// Explained decisions, for teaching: for the last attempt of each recent pod, which nodes were
// filtered out by which plugin and why, and how the best nodes scored, plugin by plugin. Served at
// /debug/decisions/<namespace>/<pod>. Bounded: the newest `capacity` pods, at most
// MAX_NODES_PER_REASON node names per reason and the TOP_SCORES best nodes.
//
// A busy scheduler records far more decisions than anyone reads, so an attempt keeps only what
// the algorithm already made (its rejection groups) and a small table of the best scores; the
// readable Decision is built when someone asks for it.

import { MAX_NODES_NAMED, type RejectionGroup } from "./framework/framework.js";
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

/** Who and when, for an attempt (time in milliseconds since the epoch). */
export interface AttemptInfo {
  pod: string;
  uid?: string;
  profile: string;
  attempt: number;
  time: number;
}

/** One attempt as kept: the algorithm's own pieces, already bounded. */
export interface RecordedAttempt extends AttemptInfo {
  result: Decision["result"];
  node?: string;
  message: string;
  total: number;
  evaluated: number;
  feasible: number;
  rejected: readonly RejectionGroup[];
  /** The best nodes, best first, and the plugins that scored them. */
  topNodes: string[];
  plugins: string[];
  /** Per top node: its total, then each plugin's weighted score (1 + plugins.length numbers). */
  topScores: Float64Array;
}

/** What to keep of an attempt: cheap, since it runs for every pod. */
export function recordOf(r: ScheduleResult, who: AttemptInfo): RecordedAttempt {
  let topNodes: string[] = [];
  let plugins: string[] = [];
  let topScores = NO_SCORES;
  if (r.scores) {
    const { totals, byPlugin } = r.scores;
    const top = topIndices(totals, TOP_SCORES);
    const width = 1 + byPlugin.length;
    plugins = byPlugin.map((p) => p.name);
    topScores = new Float64Array(top.length * width);
    topNodes = new Array(top.length);
    for (let t = 0; t < top.length; t++) {
      const i = top[t]!;
      topNodes[t] = r.feasible[i]!.name;
      topScores[t * width] = totals[i]!;
      for (let p = 0; p < byPlugin.length; p++) topScores[t * width + 1 + p] = byPlugin[p]!.scores[i]!;
    }
  } else if (r.feasible.length === 1) {
    topNodes = [r.feasible[0]!.name];
    topScores = ONE_ZERO;
  }
  return {
    pod: who.pod,
    uid: who.uid,
    profile: who.profile,
    attempt: who.attempt,
    time: who.time,
    result: r.status.isSuccess() ? "Scheduled" : r.status.code === "Error" ? "Error" : "Unschedulable",
    node: r.node,
    message: r.node ? "" : r.message,
    total: r.nodesTotal,
    evaluated: r.evaluated,
    feasible: r.feasible.length,
    rejected: r.rejected,
    topNodes,
    plugins,
    topScores,
  };
}

const NO_SCORES = new Float64Array(0);
const ONE_ZERO = new Float64Array(1);

/** The readable form of a kept attempt. */
export function explain(a: RecordedAttempt): Decision {
  const filtered = new Map<string, FilterOutcome>();
  for (const rej of a.rejected) {
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
  const width = 1 + a.plugins.length;
  const scores: NodeScore[] = a.topNodes.map((node, t) => {
    const plugins: Record<string, number> = {};
    a.plugins.forEach((name, p) => {
      plugins[name] = round(a.topScores[t * width + 1 + p]!);
    });
    return { node, total: round(a.topScores[t * width]!), plugins };
  });
  return {
    pod: a.pod,
    ...(a.uid !== undefined ? { uid: a.uid } : {}),
    profile: a.profile,
    attempt: a.attempt,
    time: new Date(a.time).toISOString(),
    result: a.result,
    ...(a.node ? { node: a.node } : {}),
    message: a.result === "Scheduled" ? `chosen: ${a.node}` : a.message,
    nodes: { total: a.total, evaluated: a.evaluated, feasible: a.feasible },
    filtered: [...filtered.values()].sort((x, y) => y.count - x.count),
    scores,
  };
}

/** Indices of the k largest values, largest first (chosen node first among equals is not promised). */
function topIndices(values: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (top.length === k && v <= values[top[k - 1]!]!) continue;
    // Insertion: shift the smaller ones down one place.
    let j = top.length < k ? top.length : k - 1;
    while (j > 0 && v > values[top[j - 1]!]!) {
      top[j] = top[j - 1]!;
      j--;
    }
    top[j] = i;
  }
  return top;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The newest attempt per pod, for the newest `capacity` pods. */
export class DecisionLog {
  private readonly byPod = new Map<string, RecordedAttempt>();

  constructor(private readonly capacity = 5000) {}

  record(a: RecordedAttempt): void {
    this.byPod.delete(a.pod);
    this.byPod.set(a.pod, a);
    if (this.byPod.size > this.capacity) this.byPod.delete(this.byPod.keys().next().value!);
  }

  /** The bind of `attempt` was refused: its decision says so, unless a newer attempt replaced it. */
  bindFailed(pod: string, attempt: number, message: string): void {
    const a = this.byPod.get(pod);
    if (a && a.attempt === attempt) {
      a.result = "BindFailed";
      a.message = message;
    }
  }

  get(pod: string): Decision | undefined {
    const a = this.byPod.get(pod);
    return a && explain(a);
  }

  /** Newest first. */
  list(limit = 100): Decision[] {
    return [...this.byPod.values()].slice(-limit).reverse().map(explain);
  }
}
