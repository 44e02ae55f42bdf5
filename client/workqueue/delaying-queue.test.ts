import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "../clock.js";
import { DelayingWorkQueue } from "./delaying-queue.js";

test("addAfter makes the item available only when its time comes", () => {
  const clock = new FakeClock();
  const q = new DelayingWorkQueue<string>(clock);
  q.addAfter("a", 100);
  assert.equal(q.len(), 0);
  clock.advance(99);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
  assert.equal(q.waitingLen(), 0);
});

test("items become ready in time order regardless of insertion order", async () => {
  const clock = new FakeClock();
  const q = new DelayingWorkQueue<string>(clock);
  q.addAfter("late", 300);
  q.addAfter("early", 100);
  q.addAfter("mid", 200);
  clock.advance(300);
  assert.deepEqual([await q.get(), await q.get(), await q.get()], ["early", "mid", "late"]);
});

test("a later addAfter does not postpone an item; an earlier one brings it forward", () => {
  const clock = new FakeClock();
  const q = new DelayingWorkQueue<string>(clock);
  q.addAfter("a", 100);
  q.addAfter("a", 500);
  clock.advance(100);
  assert.equal(q.len(), 1, "kept the earlier time");
  q.addAfter("b", 500);
  q.addAfter("b", 50);
  clock.advance(50);
  assert.equal(q.len(), 2, "brought forward to 50 ms");
});

test("addAfter with no delay adds at once, and a delayed item dedupes with a queued one", () => {
  const clock = new FakeClock();
  const q = new DelayingWorkQueue<string>(clock);
  q.addAfter("a", 0);
  assert.equal(q.len(), 1);
  q.addAfter("a", 10);
  clock.advance(10);
  assert.equal(q.len(), 1);
});

test("shutdown drops pending delays and disarms the timer", () => {
  const clock = new FakeClock();
  const q = new DelayingWorkQueue<string>(clock);
  q.addAfter("a", 100);
  assert.equal(clock.pendingTimers(), 1);
  q.shutDown();
  assert.equal(clock.pendingTimers(), 0);
  clock.advance(1000);
  assert.equal(q.len(), 0);
});
