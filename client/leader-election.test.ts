import assert from "node:assert/strict";
import { test } from "node:test";
import type { Lease, Status } from "../api/index.js";
import { FakeClock } from "./clock.js";
import { ApiError } from "./errors.js";
import {
  formatMicroTime,
  type LeaderElectionConfig,
  LeaderElectionConfigError,
  LeaderElector,
  type LeaseApi,
  parseMicroTime,
} from "./leader-election.js";

const failure = (code: number, reason: Status["reason"]): ApiError =>
  new ApiError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", code, reason });

/** Leases in memory with the API server's rules: 404 on get, 409 on duplicate create or stale update. */
class FakeLeases {
  readonly leases = new Map<string, Lease>();
  private rv = 1;

  /** The view of one candidate; `partitioned` makes every call fail like an unreachable server. */
  clientFor(): LeaseApi & { partitioned: boolean } {
    const fake = this;
    const reachable = (c: { partitioned: boolean }) => {
      if (c.partitioned) throw new ApiError(failure(0, "ServiceUnavailable").status, { network: true });
    };
    return {
      partitioned: false,
      async get(ns, name) {
        reachable(this);
        const l = fake.leases.get(`${ns}/${name}`);
        if (!l) throw failure(404, "NotFound");
        return structuredClone(l);
      },
      async create(lease) {
        reachable(this);
        const key = `${lease.metadata.namespace}/${lease.metadata.name}`;
        if (fake.leases.has(key)) throw failure(409, "AlreadyExists");
        const stored = structuredClone(lease);
        stored.metadata.resourceVersion = String(++fake.rv);
        fake.leases.set(key, stored);
        return structuredClone(stored);
      },
      async update(lease) {
        reachable(this);
        const key = `${lease.metadata.namespace}/${lease.metadata.name}`;
        const cur = fake.leases.get(key);
        if (!cur) throw failure(404, "NotFound");
        if (cur.metadata.resourceVersion !== lease.metadata.resourceVersion) throw failure(409, "Conflict");
        const stored = structuredClone(lease);
        stored.metadata.resourceVersion = String(++fake.rv);
        fake.leases.set(key, stored);
        return structuredClone(stored);
      },
    };
  }
}

const settle = () => new Promise<void>((r) => setImmediate(r));

function world() {
  const clock = new FakeClock();
  const store = new FakeLeases();
  const timeline: { t: number; who: string; what: "start" | "stop" }[] = [];
  const electors: LeaderElector[] = [];
  const observed: Record<string, string[]> = {};
  const candidate = (identity: string, extra: Partial<LeaderElectionConfig> = {}) => {
    const api = store.clientFor();
    observed[identity] = [];
    const e = new LeaderElector({
      api,
      lease: { name: "scheduler" },
      identity,
      clock,
      random: () => 0.5,
      callbacks: {
        onStartedLeading: () => void timeline.push({ t: clock.now(), who: identity, what: "start" }),
        onStoppedLeading: () => void timeline.push({ t: clock.now(), who: identity, what: "stop" }),
        onNewLeader: (id) => void observed[identity]!.push(id),
      },
      ...extra,
    });
    electors.push(e);
    const stop = new AbortController();
    const done = e.run(stop.signal);
    return { e, api, stop, done };
  };
  /** Moves time on in small steps, checking after each that at most one candidate leads. */
  const drive = async (ms: number, step = 100) => {
    await settle();
    for (let t = 0; t < ms; t += step) {
      clock.advance(step);
      await settle();
      const leaders = electors.filter((x) => x.isLeader()).length;
      assert.ok(leaders <= 1, `${leaders} leaders at ${clock.now()}`);
    }
  };
  const lease = () => store.leases.get("kube-system/scheduler")!;
  return { clock, candidate, drive, timeline, observed, lease };
}

test("of two candidates exactly one leads, and it keeps renewing the lease", async () => {
  const w = world();
  const a = w.candidate("a");
  const b = w.candidate("b");
  await w.drive(4000); // b lost the create race and looks again after one jittered retry period
  assert.deepEqual(
    w.timeline.map((x) => `${x.who} ${x.what}`),
    ["a start"],
  );
  assert.equal(a.e.isLeader(), true);
  assert.equal(b.e.getLeader(), "a");
  assert.deepEqual(w.observed.b, ["a"]);
  const l = w.lease();
  assert.equal(l.spec?.holderIdentity, "a");
  assert.equal(l.spec?.leaseDurationSeconds, 15);
  assert.equal(l.spec?.leaseTransitions, 0);
  assert.match(l.spec!.renewTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  const renewedAt = parseMicroTime(l.spec?.renewTime)!;
  await w.drive(60_000);
  assert.ok(parseMicroTime(w.lease().spec?.renewTime)! >= w.clock.now() - 2000, "renewed every retry period");
  assert.ok(parseMicroTime(w.lease().spec?.renewTime)! > renewedAt);
  assert.equal(w.timeline.length, 1, "b never took over a live lease");
  a.stop.abort();
  b.stop.abort();
  await Promise.all([a.done, b.done]);
});

test("a leader that cannot renew steps down by the renew deadline; the other takes over after expiry", async () => {
  const w = world();
  const a = w.candidate("a");
  await w.drive(500);
  const b = w.candidate("b");
  await w.drive(4000);
  assert.equal(a.e.isLeader(), true);
  const lastRenew = parseMicroTime(w.lease().spec?.renewTime)!;
  a.api.partitioned = true;
  await w.drive(30_000);
  const [aStart, aStop, bStart, ...rest] = w.timeline;
  assert.deepEqual(
    [aStart?.who, aStart?.what, aStop?.who, aStop?.what, bStart?.who, bStart?.what],
    ["a", "start", "a", "stop", "b", "start"],
  );
  assert.deepEqual(rest, []);
  assert.ok(aStop!.t <= lastRenew + 10_000, `a stepped down at +${aStop!.t - lastRenew} ms`);
  assert.ok(bStart!.t > lastRenew + 15_000, `b took over at +${bStart!.t - lastRenew} ms, after expiry`);
  assert.ok(aStop!.t < bStart!.t);
  assert.equal(w.lease().spec?.holderIdentity, "b");
  assert.equal(w.lease().spec?.leaseTransitions, 1);
  await a.done; // run() returns once leadership is lost
  assert.deepEqual(w.observed.b, ["a", "b"]);
  b.stop.abort();
  await b.done;
});

test("stopping the leader releases the lease, so the other leads within a retry period", async () => {
  const w = world();
  const a = w.candidate("a");
  await w.drive(500);
  const b = w.candidate("b");
  await w.drive(3000);
  a.stop.abort();
  await w.drive(100);
  await a.done;
  assert.equal(w.lease().spec?.holderIdentity, "");
  const releasedAt = w.clock.now();
  await w.drive(5000);
  const bStart = w.timeline.find((x) => x.who === "b" && x.what === "start");
  assert.ok(bStart, "b leads");
  assert.ok(
    bStart.t - releasedAt <= 2000 * 2.2,
    `b waited ${bStart.t - releasedAt} ms, not a lease duration`,
  );
  assert.equal(w.lease().spec?.leaseTransitions, 1);
  b.stop.abort();
  await w.drive(100);
  await b.done;
});

test("onStartedLeading's signal aborts when leadership ends", async () => {
  const w = world();
  let signal: AbortSignal | undefined;
  const a = w.candidate("a", {
    callbacks: {
      onStartedLeading: (s) => {
        signal = s;
      },
      onStoppedLeading: () => {},
    },
  });
  await w.drive(500);
  assert.equal(signal?.aborted, false);
  a.api.partitioned = true;
  await w.drive(15_000);
  assert.equal(signal?.aborted, true);
  assert.equal(a.e.isLeader(), false);
  await a.done;
});

test("a leader whose renewals stall (not fail) reports itself unhealthy", async () => {
  const w = world();
  const a = w.candidate("a");
  await w.drive(500);
  assert.equal(a.e.healthy(1000), true);
  // A blocked event loop: time passes but no timer fires, so the renew loop cannot notice.
  w.clock.stall(17_000);
  assert.equal(a.e.isLeader(), true);
  assert.equal(a.e.healthy(1000), false, "believes it leads, lease long expired");
  assert.equal(a.e.healthy(3000), true, "within the tolerance");
  w.clock.advance(0);
  await w.drive(100);
  a.stop.abort();
  await w.drive(100);
  await a.done;
  assert.equal(a.e.healthy(0), true, "not leading is healthy");
});

test("settings that would allow two leaders are refused", () => {
  const base = { api: new FakeLeases().clientFor(), lease: { name: "x" }, identity: "a" };
  const callbacks = { onStartedLeading: () => {}, onStoppedLeading: () => {} };
  const bad: Partial<LeaderElectionConfig>[] = [
    { leaseDurationMs: 10_000, renewDeadlineMs: 10_000 },
    { renewDeadlineMs: 2_000, retryPeriodMs: 2_000 },
    { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 },
    { identity: "" },
  ];
  for (const b of bad)
    assert.throws(() => new LeaderElector({ ...base, callbacks, ...b }), LeaderElectionConfigError);
});

test("MicroTime has six fractional digits and parses back", () => {
  const t = Date.parse("2026-11-26T01:02:03.123Z");
  assert.equal(formatMicroTime(t), "2026-11-26T01:02:03.123000Z");
  assert.equal(parseMicroTime("2026-11-26T01:02:03.123456Z"), t);
});
