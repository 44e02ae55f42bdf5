// A token bucket with TryAccept, as client-go's flowcontrol.NewTokenBucketRateLimiter that the node
// lifecycle controller uses for NoExecute tainting: `qps` tokens a second, at most `burst` saved up.
// The rate can change (disruption states); a rate of 0 accepts nothing.

import type { Clock } from "../client/index.js";

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private qps: number,
    private readonly burst = 1,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  setRate(qps: number): void {
    if (qps === this.qps) return;
    this.refill();
    this.qps = qps;
  }

  tryAccept(): boolean {
    if (this.qps <= 0) return false;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token, or undefined when the rate is 0. */
  nextTokenInMs(): number | undefined {
    if (this.qps <= 0) return undefined;
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.qps) * 1000);
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
  }
}
