import assert from "node:assert/strict";
import { test } from "node:test";
import type { Node, Pod, Taint } from "../api/index.js";
import { FakeClock } from "../client/index.js";
import {
  disruption,
  evictionTime,
  planNodeHealth,
  planTaints,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
  taintRate,
} from "./node-lifecycle-plan.js";
import { TokenBucket } from "./token-bucket.js";

const NOW = Date.parse("2026-01-01T00:10:00Z");

function node(
  ready: "True" | "False" | "Unknown" | undefined,
  o: { taints?: Taint[]; unschedulable?: boolean } = {},
): Node {
  return {
    metadata: { name: "n1" },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { conditions: ready ? [{ type: "Ready", status: ready, reason: "KubeletReady" }] : [] },
  };
}

test("health: Unknown only past the grace period, once", () => {
  assert.equal(planNodeHealth(node("True"), NOW - 39_000, NOW, 40_000), undefined);
  const unknown = planNodeHealth(node("True"), NOW - 41_000, NOW, 40_000);
  const ready = unknown?.find((c) => c.type === "Ready");
  assert.deepEqual([ready?.status, ready?.reason], ["Unknown", "NodeStatusUnknown"]);
  assert.ok(unknown?.some((c) => c.type === "MemoryPressure" && c.status === "Unknown"));
  const already = node("Unknown");
  already.status!.conditions = unknown;
  assert.equal(planNodeHealth(already, NOW - 90_000, NOW, 40_000), undefined);
  // A node that never posted status at all.
  assert.equal(
    planNodeHealth(node(undefined), NOW - 41_000, NOW, 40_000)?.[0]?.reason,
    "NodeStatusNeverUpdated",
  );
});

test("taints follow Ready and spec.unschedulable; NoExecute only when allowed; others untouched", () => {
  const keys = (ts: Taint[]) => ts.map((t) => `${t.key}:${t.effect}`).sort();
  const other: Taint = { key: "example.com/gpu", effect: "NoSchedule" };
  const table: { n: Node; allow: boolean; want: string[] }[] = [
    { n: node("True", { taints: [other] }), allow: true, want: ["example.com/gpu:NoSchedule"] },
    {
      n: node("Unknown"),
      allow: true,
      want: [`${TAINT_UNREACHABLE}:NoExecute`, `${TAINT_UNREACHABLE}:NoSchedule`],
    },
    { n: node("Unknown"), allow: false, want: [`${TAINT_UNREACHABLE}:NoSchedule`] },
    {
      n: node("False"),
      allow: true,
      want: [`${TAINT_NOT_READY}:NoExecute`, `${TAINT_NOT_READY}:NoSchedule`],
    },
    {
      n: node("True", {
        taints: [
          { key: TAINT_UNREACHABLE, effect: "NoExecute" },
          { key: TAINT_UNREACHABLE, effect: "NoSchedule" },
        ],
      }),
      allow: true,
      want: [],
    },
    { n: node("True", { unschedulable: true }), allow: true, want: [`${TAINT_UNSCHEDULABLE}:NoSchedule`] },
  ];
  for (const row of table) assert.deepEqual(keys(planTaints(row.n, NOW, row.allow)), row.want.sort());
  // An existing NoExecute taint keeps its timeAdded (tolerations count from it).
  const since = "2026-01-01T00:01:00Z";
  const kept = planTaints(
    node("Unknown", { taints: [{ key: TAINT_UNREACHABLE, effect: "NoExecute", timeAdded: since }] }),
    NOW,
    false,
  );
  assert.equal(kept.find((t) => t.effect === "NoExecute")?.timeAdded, since);
});

test("disruption states and the tainting rate", () => {
  const nodes = (ready: number, notReady: number) => [
    ...Array.from({ length: ready }, () => node("True")),
    ...Array.from({ length: notReady }, () => node("Unknown")),
  ];
  const rates = { rate: 0.1, secondaryRate: 0.01, unhealthyThreshold: 0.55, largeClusterThreshold: 50 };
  const table: [number, number, string, number][] = [
    [3, 1, "Normal", 0.1],
    [1, 2, "Normal", 0.1],
    [2, 3, "PartialDisruption", 0],
    [20, 40, "PartialDisruption", 0.01],
    [0, 2, "FullDisruption", 0],
  ];
  for (const [ok, bad, state, rate] of table) {
    const all = nodes(ok, bad);
    assert.equal(disruption(all, 0.55), state, `${ok} ready, ${bad} not`);
    assert.equal(taintRate(state as never, all.length, rates), rate, `${ok} ready, ${bad} not`);
  }
});

test("eviction time from tolerations, with the default 300 s for not-ready/unreachable", () => {
  const added = "2026-01-01T00:09:00Z";
  const unreachable: Taint[] = [{ key: TAINT_UNREACHABLE, effect: "NoExecute", timeAdded: added }];
  const pod = (tolerations?: NonNullable<Pod["spec"]>["tolerations"]): Pod => ({
    metadata: { name: "p" },
    spec: { containers: [], ...(tolerations ? { tolerations } : {}) },
  });
  const defaults = { notReadySeconds: 300, unreachableSeconds: 300 };
  const base = Date.parse(added);
  assert.equal(evictionTime(pod(), [], defaults, NOW), undefined);
  assert.equal(evictionTime(pod(), unreachable, defaults, NOW), base + 300_000);
  assert.equal(
    evictionTime(
      pod([{ key: TAINT_UNREACHABLE, operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 }]),
      unreachable,
      defaults,
      NOW,
    ),
    base + 10_000,
  );
  assert.equal(
    evictionTime(pod([{ operator: "Exists" }]), unreachable, defaults, NOW),
    undefined,
    "tolerates everything forever",
  );
  assert.equal(
    evictionTime(pod(), [{ key: "example.com/x", effect: "NoExecute" }], defaults, NOW),
    NOW,
    "untolerated: now",
  );
});

test("token bucket: one taint per 1/qps, none at rate 0", () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(clock, 0.1);
  assert.equal(bucket.tryAccept(), true);
  assert.equal(bucket.tryAccept(), false);
  clock.advance(9_000);
  assert.equal(bucket.tryAccept(), false);
  clock.advance(1_000);
  assert.equal(bucket.tryAccept(), true);
  bucket.setRate(0);
  clock.advance(60_000);
  assert.equal(bucket.tryAccept(), false);
});
