import assert from "node:assert/strict";
import { test } from "node:test";
import { Backoff, KeyedBackoff } from "./backoff.js";
import { FakeClock } from "./clock.js";

test("delays grow by the factor and stop at the cap", () => {
  const b = new Backoff({ initialMs: 10_000, maxMs: 300_000 });
  const seen = Array.from({ length: 7 }, () => b.next());
  assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  assert.equal(b.attempts, 7);
  b.reset();
  assert.equal(b.next(), 10_000);
});

test("jitter adds up to the given fraction, drawn from the injected random, never past the cap", () => {
  const draws = [0, 0.5, 0.999];
  const b = new Backoff({ initialMs: 100, maxMs: 250, factor: 2, jitter: 0.2, random: () => draws.shift()! });
  assert.deepEqual([b.next(), b.next(), b.next()], [100, 220, 250]);
});

test("a long run of failures stays finite", () => {
  const b = new Backoff({ initialMs: 1, maxMs: 5000 });
  for (let i = 0; i < 5000; i++) b.next();
  assert.equal(b.next(), 5000);
});

test("per-key sequences are independent, and a key quiet for twice the cap starts over", () => {
  const clock = new FakeClock();
  const b = new KeyedBackoff<string>({ initialMs: 10, maxMs: 80 }, clock);
  assert.deepEqual([b.next("a"), b.next("a"), b.next("a")], [10, 20, 40]);
  assert.equal(b.next("b"), 10);
  assert.equal(b.current("a"), 40);
  assert.equal(b.inBackoff("a"), true);
  clock.advance(40);
  assert.equal(b.inBackoff("a"), false);
  assert.equal(b.next("a"), 80, "still remembered within 2 × cap");
  clock.advance(161);
  assert.equal(b.current("a"), 0);
  assert.equal(b.next("a"), 10, "forgotten after 2 × cap of quiet");
  b.reset("a");
  assert.equal(b.current("a"), 0);
});

test("invalid settings are refused", () => {
  assert.throws(() => new Backoff({ initialMs: 100, maxMs: 10 }), RangeError);
});
