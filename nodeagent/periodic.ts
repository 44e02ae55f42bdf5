// Run an async job every period on the injected clock, never overlapping itself: the next round is
// armed only after the previous one settled. Failures are logged and the loop goes on (the
// kubelet's wait.Until). Used by the lease, the node status and the PLEG.

import type { Clock } from "../client/index.js";

export interface Periodic {
  stop(): void;
}

export function every(
  clock: Clock,
  periodMs: number,
  job: () => Promise<unknown>,
  onError: (err: unknown) => void,
  opts: { immediate?: boolean } = {},
): Periodic {
  let stopped = false;
  let cancel: (() => void) | undefined;
  const tick = () => {
    if (stopped) return;
    job()
      .catch(onError)
      .finally(() => {
        if (!stopped) cancel = clock.setTimer(periodMs, tick);
      });
  };
  if (opts.immediate) tick();
  else cancel = clock.setTimer(periodMs, tick);
  return {
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}
