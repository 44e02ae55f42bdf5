// Slow start, as Kubernetes' slowStartBatch: make `count` calls in batches of 1, 2, 4, ... and stop
// at the first batch with a failure, so a template the API server refuses (quota, admission, bad
// field) costs one call per sync instead of hundreds. Returns how many succeeded and the first error.

export async function slowStartBatch(
  count: number,
  initialBatch: number,
  call: (i: number) => Promise<void>,
): Promise<{ succeeded: number; error?: unknown }> {
  let done = 0;
  let succeeded = 0;
  for (let batch = Math.min(count, initialBatch); batch > 0; batch = Math.min(2 * batch, count - done)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, (_, j) => call(done + j)));
    done += batch;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    succeeded += results.filter((r) => r.status === "fulfilled").length;
    if (failed) return { succeeded, error: failed.reason };
  }
  return { succeeded };
}
