import assert from "node:assert/strict";
import { test } from "node:test";
import { WorkQueue } from "./queue.js";

test("adding a waiting item again does not duplicate it", async () => {
  const q = new WorkQueue<string>();
  q.add("a");
  q.add("b");
  q.add("a");
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), "a");
  assert.equal(await q.get(), "b");
  assert.equal(q.len(), 0);
});

test("an item added while being processed is handed out again only after done", async () => {
  const q = new WorkQueue<string>();
  q.add("a");
  const first = await q.get();
  assert.equal(first, "a");
  q.add("a");
  q.add("a");
  assert.equal(q.len(), 0, "not waiting while a worker holds it");
  let second: string | undefined;
  const pending = q.get().then((v) => {
    second = v;
  });
  await Promise.resolve();
  assert.equal(second, undefined, "a second worker must not get it concurrently");
  q.done("a");
  await pending;
  assert.equal(second, "a");
  q.done("a");
  assert.equal(q.len(), 0, "the two re-adds collapsed into one");
});

test("done without a re-add does not bring the item back", async () => {
  const q = new WorkQueue<string>();
  q.add("a");
  q.done((await q.get())!);
  q.add("b");
  assert.equal(await q.get(), "b");
});

test("a blocked get is woken by add, in FIFO order of waiting getters", async () => {
  const q = new WorkQueue<string>();
  const g1 = q.get();
  const g2 = q.get();
  q.add("x");
  q.add("y");
  assert.deepEqual(await Promise.all([g1, g2]), ["x", "y"]);
});

test("shutdown hands out what is waiting, then undefined; later adds are ignored", async () => {
  const q = new WorkQueue<string>();
  const blocked = q.get();
  q.shutDown();
  assert.equal(await blocked, undefined);
  const q2 = new WorkQueue<string>();
  q2.add("a");
  q2.shutDown();
  q2.add("b");
  assert.equal(await q2.get(), "a");
  assert.equal(await q2.get(), undefined);
  assert.equal(q2.shuttingDown(), true);
});

test("shutDownWithDrain resolves once the items being processed are done", async () => {
  const q = new WorkQueue<string>();
  q.add("a");
  const item = (await q.get())!;
  let drained = false;
  const d = q.shutDownWithDrain().then(() => {
    drained = true;
  });
  await Promise.resolve();
  assert.equal(drained, false);
  q.done(item);
  await d;
  assert.equal(drained, true);
});
