// Waiting on a condition with a deadline: the only way tests wait (no sleep-and-hope).

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Shown in the error when the deadline passes. */
  what?: string;
}

export async function waitFor<T>(
  probe: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  opts: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const interval = opts.intervalMs ?? 25;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false && v !== null) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(
        `timed out after ${opts.timeoutMs ?? 10_000} ms waiting for ${opts.what ?? "condition"}${why}`,
      );
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * Waits until the text `output()` returns matches `re`; returns the match. On timeout the error
 * shows the end of the output, which is what tells a reader why the match never came.
 */
export function waitForOutput(
  output: () => string,
  re: RegExp,
  what: string,
  timeoutMs: number,
): Promise<RegExpMatchArray> {
  return waitFor(() => output().match(re) ?? undefined, { timeoutMs, what }).catch((err: Error) => {
    throw new Error(`${err.message}; output so far: ${JSON.stringify(output().slice(-600))}`);
  });
}
