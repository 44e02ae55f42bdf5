// The conformance suite every scoring strategy passes, then each strategy's own table.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { leastAllocated } from "./least-allocated.js";
import { mostAllocated } from "./most-allocated.js";
import { requestedToCapacityRatio } from "./requested-to-capacity-ratio.js";
import type { ScoringStrategy } from "./strategy.js";

const STRATEGIES: ScoringStrategy[] = [
  mostAllocated,
  leastAllocated,
  requestedToCapacityRatio([
    { utilization: 0, score: 0 },
    { utilization: 100, score: 10 },
  ]),
];

for (const s of STRATEGIES) {
  describe(`scoring strategy ${s.type} (conformance)`, () => {
    test("scores stay within 0..100, even over capacity or with no capacity", () => {
      for (const [r, a] of [
        [0, 1000],
        [500, 1000],
        [1000, 1000],
        [5000, 1000],
        [10, 0],
      ] as const) {
        const x = s.score([r, r], [a, a], [1, 1]);
        assert.ok(x >= 0 && x <= 100, `${s.type} scored ${x} for ${r}/${a}`);
      }
    });

    test("a resource with weight 0 does not count", () => {
      assert.equal(s.score([100, 900], [1000, 1000], [1, 0]), s.score([100, 0], [1000, 1000], [1, 0]));
    });

    test("the weighted mean of per-resource scores", () => {
      const cpuOnly = s.score([200, 0], [1000, 1000], [1, 0]);
      const memOnly = s.score([0, 600], [1000, 1000], [0, 1]);
      assert.ok(Math.abs(s.score([200, 600], [1000, 1000], [3, 1]) - (3 * cpuOnly + memOnly) / 4) < 1e-9);
    });
  });
}

describe("scoring strategies (tables)", () => {
  const cases: [ScoringStrategy, number, number, number][] = [
    // strategy, requested, allocatable, score
    [mostAllocated, 0, 1000, 0],
    [mostAllocated, 250, 1000, 25],
    [mostAllocated, 1000, 1000, 100],
    [mostAllocated, 2000, 1000, 100],
    [mostAllocated, 10, 0, 0],
    [leastAllocated, 0, 1000, 100],
    [leastAllocated, 250, 1000, 75],
    [leastAllocated, 1000, 1000, 0],
    [leastAllocated, 2000, 1000, 0],
    [
      requestedToCapacityRatio([
        { utilization: 0, score: 10 },
        { utilization: 100, score: 0 },
      ]),
      250,
      1000,
      75,
    ],
    [
      requestedToCapacityRatio([
        { utilization: 50, score: 0 },
        { utilization: 100, score: 10 },
      ]),
      250,
      1000,
      0,
    ],
    [
      requestedToCapacityRatio([
        { utilization: 50, score: 0 },
        { utilization: 100, score: 10 },
      ]),
      750,
      1000,
      50,
    ],
    [
      requestedToCapacityRatio([
        { utilization: 0, score: 0 },
        { utilization: 100, score: 10 },
      ]),
      2000,
      1000,
      100,
    ],
  ];
  for (const [s, r, a, want] of cases) {
    test(`${s.type}: ${r} of ${a} → ${want}`, () => assert.equal(s.score([r], [a], [1]), want));
  }
});
