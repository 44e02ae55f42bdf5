// The rate-limiting layer, after client-go's RateLimitingInterface.
//
// Contract (in addition to delaying-queue.ts):
// - `addRateLimited(item)` adds the item after the delay its rate limiter assigns, which grows with
//   each failure of that item; this is how a failed reconcile is retried.
// - `forget(item)` clears the item's failure history; call it when the item succeeded. It does not
//   remove the item from the queue.
// - `numRequeues(item)` counts failures since the last `forget`, e.g. to give up after N tries.

import { type Clock, realClock } from "../clock.js";
import { type DelayingQueue, DelayingWorkQueue } from "./delaying-queue.js";
import { defaultControllerRateLimiter, type RateLimiter } from "./rate-limiters.js";

export interface RateLimitingQueue<T> extends DelayingQueue<T> {
  addRateLimited(item: T): void;
  forget(item: T): void;
  numRequeues(item: T): number;
}

export class RateLimitingWorkQueue<T> extends DelayingWorkQueue<T> implements RateLimitingQueue<T> {
  private readonly limiter: RateLimiter<T>;

  constructor(opts: { rateLimiter?: RateLimiter<T>; clock?: Clock } = {}) {
    const clock = opts.clock ?? realClock;
    super(clock);
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(clock);
  }

  addRateLimited(item: T): void {
    this.addAfter(item, this.limiter.when(item));
  }

  forget(item: T): void {
    this.limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }
}
