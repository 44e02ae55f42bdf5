// Waking on a change in a directory: inotify through fs.watch, with a slow poll behind it for the
// filesystems and races fs.watch misses (a file that appeared before the watch began, a monitor that
// died without writing). Waiting this way costs no CPU while runc works, where polling every few
// milliseconds took turns on a busy machine from the very processes being waited for.

import { type FSWatcher, watch } from "node:fs";

/**
 * Calls `check` on every change in `dir` (only for names `wanted` accepts, when given) and at least
 * every `fallbackMs`, until closed.
 */
export function onChange(
  dir: string,
  check: () => void,
  fallbackMs: number,
  wanted?: (name: string) => boolean,
): { close(): void } {
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: true }, (_event, name) => {
      if (!wanted || !name || wanted(name)) check();
    });
    watcher.on("error", () => {});
  } catch {
    // No inotify here: the poll alone.
  }
  const poll = setInterval(check, fallbackMs);
  return {
    close() {
      clearInterval(poll);
      watcher?.close();
    },
  };
}

/**
 * Resolves with the first value `probe` returns other than undefined, probing again whenever one of
 * `names` changes in `dir` and at least every `fallbackMs`; resolves undefined at the deadline.
 */
export function waitInDir<T>(
  dir: string,
  names: readonly string[],
  timing: { fallbackMs: number; timeoutMs: number },
  probe: () => T | undefined,
): Promise<T | undefined> {
  const deadline = Date.now() + timing.timeoutMs;
  return new Promise((resolve) => {
    let settled = false;
    let watching: { close(): void } | undefined;
    const check = () => {
      if (settled) return;
      const value = probe();
      if (value === undefined && Date.now() < deadline) return;
      settled = true;
      watching?.close();
      resolve(value);
    };
    watching = onChange(dir, check, timing.fallbackMs, (name) => names.includes(name));
    check();
  });
}
