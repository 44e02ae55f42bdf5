import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "../clock.js";
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from "./rate-limiters.js";
import { RateLimitingWorkQueue } from "./rate-limiting-queue.js";

test("per-item failure backoff doubles from the base up to the cap, per item", () => {
  const l = new ItemExponentialFailureRateLimiter<string>(5, 40);
  assert.deepEqual(
    [1, 2, 3, 4, 5].map(() => l.when("a")),
    [5, 10, 20, 40, 40],
  );
  assert.equal(l.when("b"), 5, "another item has its own history");
  assert.equal(l.numRequeues("a"), 5);
  l.forget("a");
  assert.equal(l.numRequeues("a"), 0);
  assert.equal(l.when("a"), 5);
});

test("token bucket allows a burst, then spaces items by 1/qps, and refills with time", () => {
  const clock = new FakeClock();
  const l = new BucketRateLimiter<string>(10, 3, clock);
  assert.deepEqual(
    ["a", "b", "c", "d", "e"].map((k) => l.when(k)),
    [0, 0, 0, 100, 200],
  );
  clock.advance(300); // pays back the 2 borrowed tokens and earns 1
  assert.deepEqual(
    ["f", "g"].map((k) => l.when(k)),
    [0, 100],
  );
  clock.advance(10_000); // refills to the burst, never beyond it
  assert.deepEqual(
    ["h", "i", "j", "k"].map((k) => l.when(k)),
    [0, 0, 0, 100],
  );
});

test("the default controller limiter takes the stricter of item backoff and the bucket", () => {
  const clock = new FakeClock();
  const l = defaultControllerRateLimiter<string>(clock);
  assert.deepEqual(
    [1, 2, 3].map(() => l.when("a")),
    [5, 10, 20],
  );
  const m = new MaxOfRateLimiter<string>(
    new ItemExponentialFailureRateLimiter(1, 1000),
    new BucketRateLimiter(1, 1, clock),
  );
  assert.equal(m.when("x"), 1);
  assert.equal(m.when("y"), 1000, "bucket empty: one token per second");
});

test("addRateLimited delays by the growing failure backoff; forget resets it", async () => {
  const clock = new FakeClock();
  const q = new RateLimitingWorkQueue<string>({
    clock,
    rateLimiter: new ItemExponentialFailureRateLimiter(100, 10_000),
  });
  q.addRateLimited("a");
  clock.advance(99);
  assert.equal(q.len(), 0);
  clock.advance(1);
  q.done((await q.get())!);
  q.addRateLimited("a");
  clock.advance(199);
  assert.equal(q.len(), 0, "second failure waits 200 ms");
  clock.advance(1);
  q.done((await q.get())!);
  assert.equal(q.numRequeues("a"), 2);
  q.forget("a");
  assert.equal(q.numRequeues("a"), 0);
  q.addRateLimited("a");
  clock.advance(100);
  assert.equal(q.len(), 1, "back to the base delay");
});
