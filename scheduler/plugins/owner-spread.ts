// OwnerSpread — phases: PreScore, Score, NormalizeScore.
// Prefers nodes with fewer pods of the same controller owner (a ReplicaSet's replicas), the idea of
// Kubernetes' old SelectorSpread. Off by default here (MostAllocated packs instead); give it a
// weight in a profile to spread replicas across nodes.

import type { Pod } from "../../api/index.js";
import type { CycleState } from "../framework/cycle-state.js";
import {
  MAX_NODE_SCORE,
  type NormalizeScorePlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from "../framework/interface.js";
import type { NodeInfo } from "../framework/node-info.js";
import { checkArgKeys, type PluginFactory } from "../framework/registry.js";
import { Status } from "../framework/status.js";

export const NAME = "OwnerSpread";
const KEY = `PreScore${NAME}`;

export class OwnerSpread implements PreScorePlugin, ScorePlugin, NormalizeScorePlugin {
  readonly name = NAME;

  preScore(state: CycleState, pod: Pod): Status {
    const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
    if (!owner) return Status.skip;
    state.write(KEY, owner.uid);
    return Status.success;
  }

  /** Raw score: how many pods of the owner the node already has. */
  score(state: CycleState, _pod: Pod, node: NodeInfo): number {
    return node.ownerCounts.get(state.read<string>(KEY)) ?? 0;
  }

  /** Fewest pods → 100, most → 0. */
  normalizeScore(_state: CycleState, _pod: Pod, scores: Float64Array): void {
    let max = 0;
    for (const s of scores) if (s > max) max = s;
    for (let i = 0; i < scores.length; i++) {
      scores[i] = max === 0 ? MAX_NODE_SCORE : (MAX_NODE_SCORE * (max - scores[i]!)) / max;
    }
  }
}

export const factory: PluginFactory = (args) => {
  checkArgKeys(NAME, args, []);
  return new OwnerSpread();
};
