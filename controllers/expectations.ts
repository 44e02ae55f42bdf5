// Controller expectations, after Kubernetes' ControllerExpectations / UIDTrackingControllerExpectations:
// after a controller creates or deletes pods it must not act on its cache until the cache has seen
// those writes, or a second reconcile (the informer lagging the API) would create or delete again.
// Creates are counted; deletes are tracked by pod key so that the "deletionTimestamp set" update and
// the final delete event of one pod count once. Expectations expire (5 minutes, as in Kubernetes), so
// a lost event cannot wedge a controller forever.

import type { Clock } from "../client/index.js";

interface Expectation {
  adds: number;
  deletes: Set<string>;
  setAt: number;
}

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
  ) {}

  /** True when the cache has caught up with this controller's writes for `key` (or they expired). */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.clock.now() - e.setAt > this.timeoutMs;
  }

  expect(key: string, adds: number, deletes: string[]): void {
    this.byKey.set(key, { adds, deletes: new Set(deletes), setAt: this.clock.now() });
  }

  /** A create that failed (or was skipped) will never be observed. */
  lowerAdds(key: string, n = 1): void {
    const e = this.byKey.get(key);
    if (e) e.adds -= n;
  }

  creationObserved(key: string): void {
    this.lowerAdds(key);
  }

  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.deletes.delete(podKey);
  }

  forget(key: string): void {
    this.byKey.delete(key);
  }
}
