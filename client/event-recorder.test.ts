import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { EventRecorder } from "./event-recorder.js";
import type { RestClient } from "./rest.js";

/** A client whose event writes finish only when the test releases them. */
function heldClient() {
  const held: { name: string; release: () => void }[] = [];
  let outstanding = 0;
  let peak = 0;
  const client = {
    createOnly(_r: unknown, body: { involvedObject: { name: string } }) {
      outstanding++;
      peak = Math.max(peak, outstanding);
      return new Promise<void>((resolve) => {
        held.push({
          name: body.involvedObject.name,
          release: () => {
            outstanding--;
            resolve();
          },
        });
      });
    },
  };
  return { client: client as unknown as RestClient, held, peak: () => peak };
}

const pod = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", uid: `uid-${name}` },
});

test("a burst in one tick: at most maxInFlight writes at once, maxQueued waiting, the rest dropped", async () => {
  const h = heldClient();
  const rec = new EventRecorder(h.client, { component: "test" }, { maxInFlight: 4, maxQueued: 10 });
  for (let i = 0; i < 15; i++) rec.event(pod(`p${i}`), "Normal", "Scheduled", "assigned");
  assert.equal(rec.dropped, 5, "ten accepted, five beyond the queue dropped");
  const written: string[] = [];
  const flushed = rec.flush();
  while (written.length < 10) {
    await new Promise((r) => setImmediate(r));
    for (const w of h.held.splice(0)) {
      written.push(w.name);
      w.release();
    }
  }
  await flushed;
  assert.equal(h.peak(), 4);
  assert.deepEqual(
    written,
    Array.from({ length: 10 }, (_, i) => `p${i}`),
    "the first ten, in order",
  );
  // Room again once the queue drained.
  rec.event(pod("late"), "Normal", "Scheduled", "assigned");
  assert.equal(rec.dropped, 5);
  await new Promise((r) => setImmediate(r));
  h.held.splice(0).forEach((w) => {
    w.release();
  });
  await rec.flush();
});

test("many events about one object within one millisecond get distinct Event names", async () => {
  const names = new Set<string>();
  const client = {
    async createOnly(_r: unknown, body: { metadata: { name: string } }) {
      names.add(body.metadata.name);
    },
  } as unknown as RestClient;
  const frozen = { now: () => 1_764_000_000_000, setTimer: () => () => {} };
  const rec = new EventRecorder(client, { component: "test" }, { clock: frozen, maxQueued: 2000 });
  for (let i = 0; i < 1000; i++) rec.event(pod("p"), "Normal", "Burst", `event ${i}`);
  await rec.flush();
  assert.equal(names.size, 1000);
  for (const n of names) assert.match(n, /^p\.[0-9a-f]+$/);
});
