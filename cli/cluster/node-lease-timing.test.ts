import assert from "node:assert/strict";
import { test } from "node:test";
import { gracePeriodProblem, nodeLeaseDurationSeconds } from "./node-lease-timing.js";

test("the lease lasts as long as the grace period, at most the kubelet's 40 s", () => {
  const cases: [number | undefined, number][] = [
    [undefined, 40],
    [4000, 4],
    [6000, 6],
    [6999, 6],
    [40_000, 40],
    [120_000, 40],
  ];
  for (const [grace, lease] of cases) assert.equal(nodeLeaseDurationSeconds(grace), lease, `grace ${grace}`);
});

test("a grace period that leaves no room for several renewals is refused with the reason", () => {
  assert.equal(gracePeriodProblem(4000), undefined);
  assert.equal(gracePeriodProblem(40_000), undefined);
  const problem = gracePeriodProblem(2000);
  assert.match(problem ?? "", /--node-monitor-grace-period must be at least 4s, got 2000ms/);
  assert.match(problem ?? "", /renew their Lease every quarter/);
});
