// How NodeResourcesFit turns "what the node would have requested with this pod" into a score:
// one small interface, one file per strategy (after noderesources' most_allocated.go,
// least_allocated.go, requested_to_capacity_ratio.go), all held to the same conformance suite
// (strategy.case.test.ts).

/** Scores one node, 0..100, from per-resource requested (with the pod) and allocatable amounts. */
export interface ScoringStrategy {
  readonly type: string;
  score(requested: readonly number[], allocatable: readonly number[], weights: readonly number[]): number;
}

/** Weighted mean of per-resource scores; resources with weight 0 do not count. */
export function weightedMean(
  requested: readonly number[],
  allocatable: readonly number[],
  weights: readonly number[],
  perResource: (requested: number, allocatable: number) => number,
): number {
  let sum = 0;
  let weightSum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    sum += perResource(requested[i]!, allocatable[i]!) * w;
    weightSum += w;
  }
  return weightSum === 0 ? 0 : sum / weightSum;
}
