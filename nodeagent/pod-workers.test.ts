import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "../api/index.js";
import { FakeClock } from "../client/index.js";
import { IllegalTransitionError, type PodSyncer, PodWorkers, transition } from "./pod-workers.js";

const settle = () => new Promise((r) => setImmediate(r));

function pod(uid: string, rv: string, extra: Partial<Pod["metadata"]> = {}): Pod {
  return {
    metadata: { name: uid, namespace: "default", uid, resourceVersion: rv, ...extra },
    spec: { containers: [] },
  };
}

/** A syncer whose syncs finish only when the test says so, recording what it was asked. */
function gatedSyncer() {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const gates: (() => void)[] = [];
  let requeueAfterMs: number | undefined;
  const syncer: PodSyncer = {
    async sync(p) {
      calls.push(`sync ${p.metadata.uid}@${p.metadata.resourceVersion}`);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((r) => gates.push(r));
      inFlight--;
      return { requeueAfterMs };
    },
    async terminate(p, grace) {
      calls.push(`terminate ${p.metadata.uid} grace=${grace}`);
    },
    async cleanup(p, stillInApi) {
      calls.push(`cleanup ${p.metadata.uid} inApi=${stillInApi}`);
    },
  };
  return {
    syncer,
    calls,
    maxInFlight: () => maxInFlight,
    release: async () => {
      gates.shift()?.();
      await settle();
    },
    setRequeue: (ms: number | undefined) => {
      requeueAfterMs = ms;
    },
  };
}

describe("PodWorkers", () => {
  it("serializes syncs of one pod and replaces a pending update with the newer one", async () => {
    const s = gatedSyncer();
    const w = new PodWorkers({ syncer: s.syncer, clock: new FakeClock(), log: () => {} });
    w.update(pod("a", "1"));
    await settle();
    w.update(pod("a", "2"));
    w.update(pod("a", "3"));
    await s.release();
    await s.release();
    assert.deepEqual(s.calls, ["sync a@1", "sync a@3"]);
    assert.equal(s.maxInFlight(), 1);
  });

  it("syncs different pods side by side", async () => {
    const s = gatedSyncer();
    const w = new PodWorkers({ syncer: s.syncer, clock: new FakeClock(), log: () => {} });
    w.update(pod("a", "1"));
    w.update(pod("b", "1"));
    await settle();
    assert.equal(s.maxInFlight(), 2);
    await s.release();
    await s.release();
  });

  it("terminates a pod with its deletion grace period, cleans up, and never syncs it again", async () => {
    const s = gatedSyncer();
    const w = new PodWorkers({ syncer: s.syncer, clock: new FakeClock(), log: () => {} });
    w.update(pod("a", "1"));
    await settle();
    w.update(pod("a", "2", { deletionTimestamp: "2026-01-01T00:00:00Z", deletionGracePeriodSeconds: 7 }));
    await s.release();
    assert.equal(w.phaseOf("a"), "Terminated");
    w.update(pod("a", "3"));
    await settle();
    assert.deepEqual(s.calls, ["sync a@1", "terminate a grace=7", "cleanup a inApi=true"]);
  });

  it("the pod's deletion arriving while it terminates is absorbed, not a second termination", async () => {
    const calls: string[] = [];
    const logs: unknown[] = [];
    let releaseTerminate = () => {};
    const syncer: PodSyncer = {
      sync: async () => ({}),
      terminate: async (p) => {
        calls.push(`terminate ${p.metadata.uid}`);
        await new Promise<void>((r) => {
          releaseTerminate = r;
        });
      },
      cleanup: async (p) => {
        calls.push(`cleanup ${p.metadata.uid}`);
      },
    };
    const w = new PodWorkers({ syncer, clock: new FakeClock(), log: (l) => logs.push(l) });
    w.update(pod("a", "1", { deletionTimestamp: "2026-01-01T00:00:00Z", deletionGracePeriodSeconds: 1 }));
    await settle();
    w.podGone(pod("a", "2"));
    releaseTerminate();
    await settle();
    assert.deepEqual(calls, ["terminate a", "cleanup a"]);
    assert.deepEqual(logs, []);
    assert.equal(w.phaseOf("a"), "Terminated");
  });

  it("a pod that vanished from the API is stopped at once and not deleted again", async () => {
    const s = gatedSyncer();
    const w = new PodWorkers({ syncer: s.syncer, clock: new FakeClock(), log: () => {} });
    w.podGone(pod("a", "1"));
    await settle();
    assert.deepEqual(s.calls, ["terminate a grace=0", "cleanup a inApi=false"]);
  });

  it("syncs again after the requeue the sync asked for, and at the resync period otherwise", async () => {
    const s = gatedSyncer();
    const clock = new FakeClock();
    const w = new PodWorkers({ syncer: s.syncer, clock, resyncMs: 10_000, log: () => {} });
    s.setRequeue(2_500);
    w.update(pod("a", "1"));
    await s.release();
    clock.advance(2_499);
    await settle();
    assert.equal(s.calls.length, 1);
    clock.advance(1);
    await settle();
    assert.equal(s.calls.length, 2);
    s.setRequeue(undefined);
    await s.release();
    clock.advance(9_999);
    await settle();
    assert.equal(s.calls.length, 2);
    clock.advance(1);
    await settle();
    assert.equal(s.calls.length, 3);
    await s.release();
    await w.stop();
  });

  it("its lifecycle moves only forward", () => {
    assert.equal(transition("Syncing", "Terminating", "u"), "Terminating");
    assert.equal(transition("Terminating", "Terminated", "u"), "Terminated");
    assert.throws(() => transition("Terminated", "Syncing", "u"), IllegalTransitionError);
    assert.throws(() => transition("Syncing", "Terminated", "u"), /cannot go from Syncing to Terminated/);
  });
});
