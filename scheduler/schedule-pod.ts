// The scheduling algorithm for one pod (the kube-scheduler's schedulePod): PreFilter, Filter over
// the nodes, Score the feasible ones, pick the best (ties broken at random). It decides and
// returns plain data; it changes nothing in the cluster or the cache. Its scores live in the
// framework's reused arrays: read them before the next attempt. schedule-one.ts carries the
// decision out.

import type { Pod } from "../api/index.js";
import { CycleState } from "./framework/cycle-state.js";
import {
  type Framework,
  MAX_NODES_NAMED,
  type RejectionGroup,
  type ScoreResult,
} from "./framework/framework.js";
import type { NodeInfo } from "./framework/node-info.js";
import { Status } from "./framework/status.js";

export interface ScheduleOptions {
  /** Stop filtering once this share of the nodes (at least 100) is feasible; 100 looks at all, 0 adapts. */
  percentageOfNodesToScore: number;
  /** Where the node scan starts; the caller rotates it so early nodes are not always favoured. */
  startIndex: number;
  random: () => number;
}

export interface ScheduleResult {
  /** Success with `node`, Unschedulable/UnschedulableAndUnresolvable, or Error. */
  status: Status;
  node?: string;
  /** For FailedScheduling: "0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable." */
  message: string;
  /** Plugins that rejected the pod somewhere: only events they registered can wake it. */
  rejectedBy: Set<string>;
  nodesTotal: number;
  evaluated: number;
  feasible: NodeInfo[];
  /** Rejected nodes grouped by plugin and Status. */
  rejected: RejectionGroup[];
  /** Valid until the same framework scores again (its arrays are reused): copy what you keep. */
  scores?: ScoreResult;
}

/** Below this many nodes every node is looked at (Kubernetes' minFeasibleNodesToFind). */
const MIN_FEASIBLE_NODES_TO_FIND = 100;

/**
 * How many feasible nodes to look for (Kubernetes' numFeasibleNodesToFind). Percentage 0 is
 * adaptive, as Kubernetes' default: 50 % less 1 % per 125 nodes, at least 5 % (42 % of 1,000 nodes,
 * 10 % of 5,000), so the work per decision grows slower than the cluster.
 */
export function numFeasibleNodesToFind(percentage: number, total: number): number {
  if (total < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) return total;
  const pct = percentage > 0 ? percentage : Math.max(5, 50 - Math.floor(total / 125));
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((total * pct) / 100));
}

export const NO_NODES = "no nodes available to schedule pods";

export function schedulePod(
  fwk: Framework,
  pod: Pod,
  nodes: readonly NodeInfo[],
  opts: ScheduleOptions,
): ScheduleResult {
  const total = nodes.length;
  if (total === 0) return outcome(Status.unschedulable(NO_NODES), NO_NODES, total, 0, [], [], new Set());
  const state = new CycleState();
  const pre = fwk.runPreFilter(state, pod);
  if (!pre.status.isSuccess()) {
    const rejected = [
      {
        plugin: pre.plugin!,
        status: pre.status,
        count: total,
        nodes: nodes.slice(0, MAX_NODES_NAMED).map((n) => n.name),
      },
    ];
    return failure(pre.status, total, 0, rejected, new Set([pre.plugin!]));
  }

  const wanted = numFeasibleNodesToFind(opts.percentageOfNodesToScore, total);
  const { feasible, rejected, evaluated } = fwk.findFeasible(
    state,
    pod,
    nodes,
    opts.startIndex % total,
    wanted,
  );
  const rejectedBy = new Set<string>();
  for (const r of rejected) rejectedBy.add(r.plugin);
  if (feasible.length === 0) {
    const errored = rejected.find((r) => r.status.code === "Error");
    return failure(errored?.status ?? Status.unschedulable(), total, evaluated, rejected, rejectedBy);
  }
  if (feasible.length === 1) {
    return outcome(Status.success, "", total, evaluated, feasible, rejected, rejectedBy, feasible[0]!.name);
  }
  const scored = fwk.runScore(state, pod, feasible);
  if (!scored.result) {
    return outcome(scored.status, scored.status.message(), total, evaluated, feasible, rejected, rejectedBy);
  }
  const best = pickBest(scored.result.totals, opts.random);
  return outcome(
    Status.success,
    "",
    total,
    evaluated,
    feasible,
    rejected,
    rejectedBy,
    feasible[best]!.name,
    scored.result,
  );
}

/** Every result has the same shape (one object layout for the engine, whichever way it ended). */
function outcome(
  status: Status,
  message: string,
  nodesTotal: number,
  evaluated: number,
  feasible: NodeInfo[],
  rejected: RejectionGroup[],
  rejectedBy: Set<string>,
  node?: string,
  scores?: ScoreResult,
): ScheduleResult {
  return { status, node, message, rejectedBy, nodesTotal, evaluated, feasible, rejected, scores };
}

/** Index of the highest total; among equal totals each is equally likely (one random draw). */
export function pickBest(totals: Float64Array, random: () => number): number {
  let max = Number.NEGATIVE_INFINITY;
  let ties = 0;
  for (let i = 0; i < totals.length; i++) {
    const t = totals[i]!;
    if (t > max) {
      max = t;
      ties = 1;
    } else if (t === max) ties++;
  }
  let skip = ties > 1 ? Math.min(ties - 1, Math.floor(random() * ties)) : 0;
  for (let i = 0; i < totals.length; i++) if (totals[i] === max && skip-- === 0) return i;
  return 0;
}

function failure(
  status: Status,
  total: number,
  evaluated: number,
  rejected: RejectionGroup[],
  rejectedBy: Set<string>,
): ScheduleResult {
  if (status.code === "Error")
    return outcome(status, status.message(), total, evaluated, [], rejected, rejectedBy);
  return outcome(
    status.isRejected() ? status : Status.unschedulable(),
    fitErrorMessage(total, rejected),
    total,
    evaluated,
    [],
    rejected,
    rejectedBy,
  );
}

/**
 * Kubernetes' FitError summary: "0/<nodes> nodes are available: <count> <reason>, ...". A node
 * failing for two reasons (cpu and memory) counts under both. Largest counts first.
 */
export function fitErrorMessage(total: number, rejected: readonly RejectionGroup[]): string {
  const counts = new Map<string, number>();
  for (const r of rejected)
    for (const reason of r.status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + r.count);
  const parts = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, n]) => `${n} ${reason}`);
  return `0/${total} nodes are available: ${parts.join(", ")}.`;
}
