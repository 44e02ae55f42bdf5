// TaintToleration — phases: Filter, PreScore, Score, NormalizeScore.
// Filter: a node with a NoSchedule or NoExecute taint the pod does not tolerate is out.
// Score: fewer untolerated PreferNoSchedule taints is better (normalised, reversed: none → 100).

import type { Pod, Taint, Toleration } from "../../api/index.js";
import type { CycleState } from "../framework/cycle-state.js";
import {
  type ClusterEvent,
  type EnqueueExtensions,
  type FilterPlugin,
  type NormalizeScorePlugin,
  normalizeToMax,
  type PreScorePlugin,
  type ScorePlugin,
} from "../framework/interface.js";
import type { NodeInfo } from "../framework/node-info.js";
import { checkArgKeys, type PluginFactory } from "../framework/registry.js";
import { Status } from "../framework/status.js";
import { tolerated, toleratesTaint } from "./tolerations.js";

export const NAME = "TaintToleration";
const PRE_SCORE_KEY = `PreScore${NAME}`;

export function formatTaint(t: Taint): string {
  return `{${t.key}: ${t.value ?? ""}}`;
}

export class TaintToleration
  implements FilterPlugin, PreScorePlugin, ScorePlugin, NormalizeScorePlugin, EnqueueExtensions
{
  readonly name = NAME;

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
    for (const taint of node.taints) {
      if (taint.effect !== "NoSchedule" && taint.effect !== "NoExecute") continue;
      if (!tolerated(pod.spec?.tolerations, taint)) return untolerated(taint);
    }
    return Status.success;
  }

  preScore(state: CycleState, pod: Pod): Status {
    // Only tolerations that can apply to PreferNoSchedule taints matter for the score.
    const relevant = (pod.spec?.tolerations ?? []).filter(
      (t) => !t.effect || t.effect === "PreferNoSchedule",
    );
    state.write(PRE_SCORE_KEY, relevant);
    return Status.success;
  }

  score(state: CycleState, _pod: Pod, node: NodeInfo): number {
    const taints = node.taints;
    if (taints.length === 0) return 0;
    const tolerations = state.read<Toleration[]>(PRE_SCORE_KEY);
    let count = 0;
    for (const taint of taints) {
      if (taint.effect !== "PreferNoSchedule") continue;
      if (!tolerations.some((t) => toleratesTaint(t, taint))) count++;
    }
    return count;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: Float64Array): void {
    normalizeToMax(scores, true);
  }

  eventsToRegister(): readonly ClusterEvent[] {
    return ["NodeAdd", "NodeUpdateTaint"];
  }
}

// One Status per distinct taint, so that nodes sharing a taint are counted in one rejection group
// (framework.ts) rather than one each. Bounded: cleared when it grows past a few thousand taints.
// A node's taint objects live as long as its NodeInfo, so each is formatted once, not once per pod.
const untoleratedStatuses = new Map<string, Status>();
const byTaint = new WeakMap<Taint, Status>();

function untolerated(taint: Taint): Status {
  let s = byTaint.get(taint);
  if (s) return s;
  const text = formatTaint(taint);
  s = untoleratedStatuses.get(text);
  if (!s) {
    if (untoleratedStatuses.size >= 4096) untoleratedStatuses.clear();
    s = Status.unresolvable(`node(s) had untolerated taint ${text}`);
    untoleratedStatuses.set(text, s);
  }
  byTaint.set(taint, s);
  return s;
}

export const factory: PluginFactory = (args) => {
  checkArgKeys(NAME, args, []);
  return new TaintToleration();
};
