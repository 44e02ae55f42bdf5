// NodeAffinity — phases: PreFilter, Filter, PreScore, Score, NormalizeScore.
// Filter: spec.nodeSelector (every label must match) and required node affinity (any term matches;
// inside a term every expression matches) with In, NotIn, Exists, DoesNotExist, Gt, Lt, and
// matchFields on metadata.name. Score: the sum of the weights of the preferred terms a node matches,
// normalised so the best node gets 100.

import type {
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PreferredSchedulingTerm,
} from "../../api/index.js";
import type { CycleState } from "../framework/cycle-state.js";
import {
  type ClusterEvent,
  type EnqueueExtensions,
  type FilterPlugin,
  type NormalizeScorePlugin,
  normalizeToMax,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from "../framework/interface.js";
import type { NodeInfo } from "../framework/node-info.js";
import { checkArgKeys, type PluginFactory } from "../framework/registry.js";
import { Status } from "../framework/status.js";

export const NAME = "NodeAffinity";
const MISMATCH = Status.unresolvable("node(s) didn't match Pod's node affinity/selector");
const INTEGER = /^[+-]?[0-9]+$/;

export function requirementMatches(r: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.hasOwn(values, r.key);
  const v = values[r.key];
  switch (r.operator) {
    case "In":
      return has && (r.values ?? []).includes(v!);
    case "NotIn":
      return !has || !(r.values ?? []).includes(v!);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt": {
      const want = r.values?.[0];
      if (!has || !INTEGER.test(v!) || want === undefined || !INTEGER.test(want)) return false;
      return r.operator === "Gt" ? BigInt(v!) > BigInt(want) : BigInt(v!) < BigInt(want);
    }
    default:
      return false;
  }
}

/** A term with neither expressions nor fields matches no node, as in Kubernetes. */
export function termMatches(term: NodeSelectorTerm, node: NodeInfo): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.node?.metadata.labels ?? {};
  for (const r of exprs) if (!requirementMatches(r, labels)) return false;
  // metadata.name is the only field Kubernetes supports in matchFields.
  for (const r of fields)
    if (r.key !== "metadata.name" || !requirementMatches(r, { "metadata.name": node.name })) return false;
  return true;
}

export class NodeAffinity
  implements
    PreFilterPlugin,
    FilterPlugin,
    PreScorePlugin,
    ScorePlugin,
    NormalizeScorePlugin,
    EnqueueExtensions
{
  readonly name = NAME;

  preFilter(_state: CycleState, pod: Pod): Status {
    const hasSelector = Object.keys(pod.spec?.nodeSelector ?? {}).length > 0;
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    return hasSelector || required ? Status.success : Status.skip;
  }

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
    const labels = node.node?.metadata.labels ?? {};
    const selector = pod.spec?.nodeSelector;
    if (selector) for (const k in selector) if (labels[k] !== selector[k]) return MISMATCH;
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required && !required.nodeSelectorTerms.some((t) => termMatches(t, node))) return MISMATCH;
    return Status.success;
  }

  preScore(_state: CycleState, pod: Pod): Status {
    return preferredTerms(pod).length > 0 ? Status.success : Status.skip;
  }

  score(_state: CycleState, pod: Pod, node: NodeInfo): number {
    let sum = 0;
    for (const t of preferredTerms(pod))
      if (t.weight !== 0 && termMatches(t.preference, node)) sum += t.weight;
    return sum;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: Float64Array): void {
    normalizeToMax(scores);
  }

  eventsToRegister(): readonly ClusterEvent[] {
    return ["NodeAdd", "NodeUpdateLabel"];
  }
}

function preferredTerms(pod: Pod): PreferredSchedulingTerm[] {
  return pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
}

export const factory: PluginFactory = (args) => {
  checkArgKeys(NAME, args, []);
  return new NodeAffinity();
};
