// Exponential backoff with jitter and a cap, as in apimachinery's wait.Backoff (one sequence) and
// client-go's flowcontrol.Backoff (one sequence per key, forgotten after a quiet period). The node
// agent's CrashLoopBackOff (10 s doubling to 5 min) and the scheduler's pod backoff reuse these.

import { type Clock, realClock } from "./clock.js";

export interface BackoffOptions {
  /** Delay of the first attempt. */
  initialMs: number;
  /** No delay is ever longer than this, jitter included. */
  maxMs: number;
  /** Growth per attempt; 2 when omitted. */
  factor?: number;
  /** Adds up to `jitter × delay` at random (0.1 → up to +10%); 0 when omitted. */
  jitter?: number;
  /** Uniform in [0, 1); Math.random when omitted. */
  random?: () => number;
}

/** One sequence of delays: initial, initial×factor, ... capped at maxMs. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly opts: BackoffOptions) {
    if (opts.initialMs < 0 || opts.maxMs < opts.initialMs) {
      throw new RangeError(`invalid backoff: initialMs ${opts.initialMs}, maxMs ${opts.maxMs}`);
    }
  }

  /** Number of delays handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay to wait before the next attempt; each call grows the following one. */
  next(): number {
    const delay = delayFor(this.opts, this.attempt);
    this.attempt++;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** The delay of attempt `n` (0-based) under `opts`, jitter included. */
export function delayFor(opts: BackoffOptions, n: number): number {
  const factor = opts.factor ?? 2;
  // Math.min before exponentiating would be wrong for factor < 1; cap the exponent instead so that
  // a long run of failures cannot overflow to Infinity.
  const base = Math.min(opts.maxMs, opts.initialMs * factor ** Math.min(n, 1000));
  const jitter = opts.jitter ? base * opts.jitter * (opts.random ?? Math.random)() : 0;
  return Math.min(opts.maxMs, Math.round(base + jitter));
}

interface KeyState {
  attempt: number;
  delayMs: number;
  lastUpdate: number;
}

/**
 * One backoff sequence per key (a container, a pod). A key that has not failed for twice the cap
 * starts again from the initial delay, like flowcontrol.Backoff: a container that crashed an hour
 * ago and crashes again waits 10 s, not 5 min.
 */
export class KeyedBackoff<K> {
  private readonly entries = new Map<K, KeyState>();
  private readonly clock: Clock;

  constructor(
    private readonly opts: BackoffOptions,
    clock: Clock = realClock,
  ) {
    this.clock = clock;
  }

  /** Records a failure of `key` now and returns how long it must wait before the next try. */
  next(key: K): number {
    const now = this.clock.now();
    let e = this.entries.get(key);
    if (!e || this.expired(e, now)) e = { attempt: 0, delayMs: 0, lastUpdate: now };
    e.delayMs = delayFor(this.opts, e.attempt);
    e.attempt++;
    e.lastUpdate = now;
    this.entries.set(key, e);
    return e.delayMs;
  }

  /** The delay given at the last failure of `key` (0 when none is remembered). */
  current(key: K): number {
    const e = this.entries.get(key);
    return e && !this.expired(e, this.clock.now()) ? e.delayMs : 0;
  }

  /** True while `key` is still inside the wait that its last failure started. */
  inBackoff(key: K): boolean {
    const e = this.entries.get(key);
    return !!e && this.clock.now() < e.lastUpdate + e.delayMs;
  }

  reset(key: K): void {
    this.entries.delete(key);
  }

  /** Drops keys that have been quiet long enough to start over anyway. */
  gc(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (this.expired(e, now)) this.entries.delete(k);
  }

  private expired(e: KeyState, now: number): boolean {
    return now - e.lastUpdate > 2 * this.opts.maxMs;
  }
}
