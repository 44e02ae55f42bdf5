import assert from "node:assert/strict";
import { test } from "node:test";
import { formatAge, humanDuration } from "./human-duration.js";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

// The cases of Kubernetes' TestHumanDuration and TestHumanDurationBoundaries.
const CASES: [number, string][] = [
  [s, "1s"],
  [70 * s, "70s"],
  [190 * s, "3m10s"],
  [70 * m, "70m"],
  [47 * h, "47h"],
  [49 * h, "2d1h"],
  [8 * d + 2 * h, "8d"],
  [367 * d, "367d"],
  [2 * y + 25 * h, "2y1d"],
  [8 * y + 2 * h, "8y"],
  [-2 * s, "<invalid>"],
  [-2 * s + 1, "0s"],
  [0, "0s"],
  [s - 1, "0s"],
  [2 * m - 1, "119s"],
  [2 * m, "2m"],
  [2 * m + s, "2m1s"],
  [10 * m - 1, "9m59s"],
  [10 * m, "10m"],
  [10 * m + s, "10m"],
  [3 * h - 1, "179m"],
  [3 * h, "3h"],
  [3 * h + m, "3h1m"],
  [8 * h - 1, "7h59m"],
  [8 * h, "8h"],
  [8 * h + 59 * m, "8h"],
  [2 * d - 1, "47h"],
  [2 * d, "2d"],
  [2 * d + h, "2d1h"],
  [8 * d - 1, "7d23h"],
  [8 * d, "8d"],
  [8 * d + 23 * h, "8d"],
  [2 * y - 1, "729d"],
  [2 * y, "2y"],
  [2 * y + 23 * h + 59 * m, "2y"],
  [2 * y + d - 1, "2y"],
  [2 * y + d, "2y1d"],
  [3 * y, "3y"],
  [7 * y, "7y"],
  [8 * y - 1, "7y364d"],
  [8 * y, "8y"],
  [8 * y + 364 * d, "8y"],
  [9 * y, "9y"],
];

test("humanDuration follows Kubernetes' duration.HumanDuration", () => {
  for (const [ms, want] of CASES) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test("formatAge measures from an RFC 3339 time and says <unknown> without one", () => {
  const now = new Date("2026-01-02T03:04:05Z");
  assert.equal(formatAge("2026-01-02T03:04:00Z", now), "5s");
  assert.equal(formatAge("2026-01-02T03:01:03Z", now), "3m2s");
  assert.equal(formatAge("2026-01-01T22:04:05Z", now), "5h");
  assert.equal(formatAge("2025-12-31T03:04:05Z", now), "2d");
  assert.equal(formatAge("2026-01-02T03:04:06Z", now), "0s");
  assert.equal(formatAge(undefined, now), "<unknown>");
  assert.equal(formatAge("", now), "<unknown>");
  assert.equal(formatAge("yesterday", now), "<unknown>");
});
