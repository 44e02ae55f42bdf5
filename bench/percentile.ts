// Nearest-rank percentiles for the benches' latency figures.

/** The p-th percentile (nearest rank) of ascending `sorted`, rounded to `decimals`; NaN when empty. */
export function percentile(sorted: number[], p: number, decimals = 2): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  const f = 10 ** decimals;
  return Math.round(sorted[Math.max(0, i)]! * f) / f;
}
