export { type DelayingQueue, DelayingWorkQueue } from "./delaying-queue.js";
export { type Queue, WorkQueue } from "./queue.js";
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from "./rate-limiters.js";
export { type RateLimitingQueue, RateLimitingWorkQueue } from "./rate-limiting-queue.js";
