// RequestedToCapacityRatio: a user-drawn curve from utilisation (0..100 %) to score (0..10, scaled to
// 0..100), linear between the points, flat beyond the ends. [{0,0},{100,10}] packs like
// MostAllocated; [{0,10},{100,0}] spreads like LeastAllocated.

import { MAX_NODE_SCORE } from "../../framework/interface.js";
import { ConfigError } from "../../framework/registry.js";
import { type ScoringStrategy, weightedMean } from "./strategy.js";

export interface ShapePoint {
  utilization: number;
  score: number;
}

/** Kubernetes' shape scores go to 10; the framework's to 100. */
const SHAPE_SCORE_MAX = 10;

export function validateShape(shape: unknown): ShapePoint[] {
  if (!Array.isArray(shape) || shape.length === 0) {
    throw new ConfigError("requestedToCapacityRatio.shape: at least one point is required");
  }
  let last = -1;
  return shape.map((p, i) => {
    const u = (p as ShapePoint)?.utilization;
    const s = (p as ShapePoint)?.score;
    if (!Number.isInteger(u) || u < 0 || u > 100) {
      throw new ConfigError(
        `requestedToCapacityRatio.shape[${i}].utilization: must be a whole number 0..100, got ${u}`,
      );
    }
    if (u <= last)
      throw new ConfigError(
        `requestedToCapacityRatio.shape[${i}].utilization: points must be in increasing order`,
      );
    if (!Number.isInteger(s) || s < 0 || s > SHAPE_SCORE_MAX) {
      throw new ConfigError(
        `requestedToCapacityRatio.shape[${i}].score: must be a whole number 0..10, got ${s}`,
      );
    }
    last = u;
    return { utilization: u, score: s };
  });
}

function curve(shape: readonly ShapePoint[], utilization: number): number {
  const first = shape[0]!;
  if (utilization <= first.utilization) return first.score;
  for (let i = 1; i < shape.length; i++) {
    const p = shape[i]!;
    if (utilization <= p.utilization) {
      const q = shape[i - 1]!;
      return (
        q.score + ((p.score - q.score) * (utilization - q.utilization)) / (p.utilization - q.utilization)
      );
    }
  }
  return shape[shape.length - 1]!.score;
}

export function requestedToCapacityRatio(shape: readonly ShapePoint[]): ScoringStrategy {
  const scale = MAX_NODE_SCORE / SHAPE_SCORE_MAX;
  return {
    type: "RequestedToCapacityRatio",
    score: (requested, allocatable, weights) =>
      weightedMean(requested, allocatable, weights, (r, a) => {
        // No capacity, or already over it: as bad as full.
        const utilization = a <= 0 || r > a ? 100 : (r * 100) / a;
        return curve(shape, utilization) * scale;
      }),
  };
}
