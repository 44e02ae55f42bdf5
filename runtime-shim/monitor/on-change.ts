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
