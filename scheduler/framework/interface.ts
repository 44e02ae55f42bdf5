// The extension points, one method each, after the kube-scheduler framework's interface.go. A
// plugin implements the phases it needs; its file says which. The framework calls them in order:
//
//   PreFilter (once per attempt) → Filter (per node) → PreScore (once, feasible nodes) →
//   Score (per feasible node) → NormalizeScore (once per plugin) → weights → pick → assume → Bind.
//
// Queue sort (priority, then arrival) and Bind (pods/binding) are built into the scheduler core.

import type { Pod } from "../../api/index.js";
import type { CycleState } from "./cycle-state.js";
import type { NodeInfo } from "./node-info.js";
import type { Status } from "./status.js";

/** Scores are 0..MAX_NODE_SCORE before weighting, as in Kubernetes. */
export const MAX_NODE_SCORE = 100;

export interface Plugin {
  readonly name: string;
}

export interface PreFilterPlugin extends Plugin {
  /** Computes per-pod data into `state`; Skip turns this plugin's Filter off for the attempt. */
  preFilter(state: CycleState, pod: Pod): Status;
}

export interface FilterPlugin extends Plugin {
  /** Pure: may `pod` run on this node? Must not change `state` or `node`. */
  filter(state: CycleState, pod: Pod, node: NodeInfo): Status;
}

export interface PreScorePlugin extends Plugin {
  /** Once per attempt over the feasible nodes; Skip turns this plugin's Score off. */
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

export interface ScorePlugin extends Plugin {
  /** Pure: how good is this node for `pod`, 0..MAX_NODE_SCORE (or raw, when NormalizeScore follows). */
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
}

export interface NormalizeScorePlugin extends Plugin {
  /** Rescales this plugin's raw scores in place to 0..MAX_NODE_SCORE. */
  normalizeScore(state: CycleState, pod: Pod, scores: Float64Array): void;
}

/**
 * A change in the cluster. Kubernetes' ClusterEvent: a resource and what happened to it. Node
 * updates are split by what changed, so a label change does not wake pods that lacked cpu.
 */
export type ClusterEvent =
  | "NodeAdd"
  | "NodeDelete"
  | "NodeUpdateAllocatable"
  | "NodeUpdateLabel"
  | "NodeUpdateTaint"
  | "NodeUpdateCondition"
  | "AssignedPodAdd"
  | "AssignedPodDelete"
  | "AssignedPodUpdate";

export interface EnqueueExtensions extends Plugin {
  /** The cluster events that can make a pod this plugin rejected fit again. */
  eventsToRegister(): readonly ClusterEvent[];
}

export function isPreFilter(p: Plugin): p is PreFilterPlugin {
  return typeof (p as Partial<PreFilterPlugin>).preFilter === "function";
}
export function isFilter(p: Plugin): p is FilterPlugin {
  return typeof (p as Partial<FilterPlugin>).filter === "function";
}
export function isPreScore(p: Plugin): p is PreScorePlugin {
  return typeof (p as Partial<PreScorePlugin>).preScore === "function";
}
export function isScore(p: Plugin): p is ScorePlugin {
  return typeof (p as Partial<ScorePlugin>).score === "function";
}
export function isNormalizeScore(p: Plugin): p is NormalizeScorePlugin {
  return typeof (p as Partial<NormalizeScorePlugin>).normalizeScore === "function";
}
export function isEnqueueExtensions(p: Plugin): p is EnqueueExtensions {
  return typeof (p as Partial<EnqueueExtensions>).eventsToRegister === "function";
}

/** Default normalisation (Kubernetes' DefaultNormalizeScore): the best raw score becomes 100. */
export function normalizeToMax(scores: Float64Array, reverse = false): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = (MAX_NODE_SCORE * scores[i]!) / max;
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
