import assert from "node:assert/strict";
import { test } from "node:test";
import { FakeClock } from "../client/index.js";
import { Expectations } from "./expectations.js";

test("expectations hold a controller back until its writes are seen, or they expire", () => {
  const clock = new FakeClock();
  const e = new Expectations(clock, 60_000);
  assert.equal(e.satisfied("ns/rs"), true, "nothing expected");

  e.expect("ns/rs", 2, []);
  assert.equal(e.satisfied("ns/rs"), false);
  e.creationObserved("ns/rs");
  assert.equal(e.satisfied("ns/rs"), false, "one of two creates seen");
  e.lowerAdds("ns/rs");
  assert.equal(e.satisfied("ns/rs"), true, "the other failed and will never be seen");

  e.expect("ns/rs", 0, ["ns/p1", "ns/p2"]);
  e.deletionObserved("ns/rs", "ns/p1");
  e.deletionObserved("ns/rs", "ns/p1");
  assert.equal(e.satisfied("ns/rs"), false, "the same pod seen twice counts once");
  e.deletionObserved("ns/rs", "ns/p2");
  assert.equal(e.satisfied("ns/rs"), true);

  e.expect("ns/rs", 1, []);
  clock.advance(60_001);
  assert.equal(e.satisfied("ns/rs"), true, "a lost event does not wedge the controller");
});
