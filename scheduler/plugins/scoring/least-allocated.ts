// LeastAllocated: the emptier the node would be, the higher the score — spreading. Per resource
// (allocatable − requested)/allocatable × 100 (0 when over), then the weighted mean.

import { MAX_NODE_SCORE } from "../../framework/interface.js";
import { type ScoringStrategy, weightedMean } from "./strategy.js";

export const leastAllocated: ScoringStrategy = {
  type: "LeastAllocated",
  score: (requested, allocatable, weights) =>
    weightedMean(requested, allocatable, weights, (r, a) =>
      a <= 0 || r > a ? 0 : ((a - r) * MAX_NODE_SCORE) / a,
    ),
};
