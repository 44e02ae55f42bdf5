// The benches' load: `total` operations by `conc` workers, each taking the next index when its last
// one is done; the run's seconds and every operation's latency in ms, sorted.

export async function runPool(
  total: number,
  conc: number,
  one: (i: number, worker: number) => Promise<void>,
): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conc }, async (_, worker) => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const s = performance.now();
        await one(i, worker);
        latencies.push(performance.now() - s);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { seconds: (performance.now() - t0) / 1000, latencies };
}
