// MostAllocated: the fuller the node would be, the higher the score — bin-packing. Per resource
// requested/allocatable × 100 (requests beyond allocatable count as full), then the weighted mean.

import { MAX_NODE_SCORE } from "../../framework/interface.js";
import { type ScoringStrategy, weightedMean } from "./strategy.js";

export const mostAllocated: ScoringStrategy = {
  type: "MostAllocated",
  score: (requested, allocatable, weights) =>
    weightedMean(requested, allocatable, weights, (r, a) =>
      a <= 0 ? 0 : (Math.min(r, a) * MAX_NODE_SCORE) / a,
    ),
};
