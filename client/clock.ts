// Time as a dependency. Everything in client/ that waits (backoff, delayed queue adds, resync,
// leader-election renewals) asks a Clock, so tests drive a FakeClock instead of sleeping.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` after `ms` milliseconds; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

/** Resolves after `ms` on `clock`, or early (without throwing) when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      cancel();
      resolve();
    };
    const cancel = clock.setTimer(ms, () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that moves only when told to. Timers fire in time order (ties in creation order) during
 * `advance`. `blockUntilTimers(n)` lets a test wait until the code under test has armed n timers,
 * which is how a test knows the code is idle and waiting on time.
 */
export class FakeClock implements Clock {
  private timers: FakeTimer[] = [];
  private seq = 0;
  private waiters: { n: number; resolve: () => void }[] = [];

  constructor(private current = Date.parse("2026-01-01T00:00:00Z")) {}

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    this.notify();
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Number of armed timers. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Resolves once at least `n` timers are armed. */
  blockUntilTimers(n: number): Promise<void> {
    if (this.timers.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** Moves time forward by `ms`, firing due timers in order (a timer armed by a firing one fires too if due). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = target;
  }

  /**
   * Moves time forward without firing timers, as a process whose event loop was blocked sees it:
   * overdue timers fire at the next `advance`.
   */
  stall(ms: number): void {
    this.current += ms;
  }

  private notify(): void {
    const ready = this.waiters.filter((w) => this.timers.length >= w.n);
    this.waiters = this.waiters.filter((w) => this.timers.length < w.n);
    for (const w of ready) w.resolve();
  }
}
