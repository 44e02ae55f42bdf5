import assert from "node:assert/strict";
import { test } from "node:test";
import { BoundedEventSink } from "./event-sink.js";
import { makePod } from "./fixtures.js";

test("at most `concurrency` event writes are outstanding, and events beyond capacity are dropped", async () => {
  // A recorder whose writes complete only when the test releases them.
  const written: string[] = [];
  let outstanding = 0;
  let maxOutstanding = 0;
  let release: () => void = () => {};
  const recorder = {
    event(obj: { metadata: { name?: string } }, _type: string, reason: string) {
      written.push(`${obj.metadata.name}:${reason}`);
      maxOutstanding = Math.max(maxOutstanding, ++outstanding);
    },
    flush: () =>
      outstanding === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            release = () => {
              outstanding = 0;
              resolve();
            };
          }),
  };
  const sink = new BoundedEventSink(recorder, 10, 4);
  for (let i = 0; i < 15; i++) sink.event(makePod(`p${i}`), "Normal", "Scheduled", "m");
  // The first event went out at once; ten more wait; the last four find the buffer full.
  assert.equal(sink.dropped, 4);
  const done = sink.flush();
  for (let batch = 0; batch < 4; batch++) {
    await new Promise((r) => setImmediate(r));
    release();
  }
  await done;
  assert.equal(maxOutstanding, 4);
  assert.equal(written.length, 11);
  assert.deepEqual(written.slice(0, 2), ["p0:Scheduled", "p1:Scheduled"]);
});
