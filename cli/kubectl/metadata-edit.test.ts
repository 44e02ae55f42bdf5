import assert from "node:assert/strict";
import { test } from "node:test";
import { outcomeWord, planChanges, splitArgs } from "./metadata-edit.js";

test("splitArgs: objects first, then key=value and key- changes", () => {
  assert.deepEqual(splitArgs(["pod", "p1", "a=1", "b-", "c="]), {
    objects: ["pod", "p1"],
    changes: [
      { key: "a", value: "1" },
      { key: "b", remove: true },
      { key: "c", value: "" },
    ],
  });
  assert.deepEqual(splitArgs(["deploy/web", "team-"]).objects, ["deploy/web"]);
  assert.throws(() => splitArgs(["pod", "p1"]), /at least one change/);
  assert.throws(() => splitArgs(["pod", "a=1", "p1"]), /must come after the objects/);
});

test("planChanges: sets, removes, refuses to overwrite without --overwrite, skips no-ops", () => {
  const current = { a: "1", b: "2" };
  assert.deepEqual(
    planChanges(
      current,
      [
        { key: "c", value: "3" },
        { key: "b", remove: true },
      ],
      false,
    ),
    {
      patch: { c: "3", b: null },
      missing: [],
    },
  );
  assert.deepEqual(planChanges(current, [{ key: "a", value: "9" }], false), {
    error: "'a' already has a value (1), and --overwrite is false",
  });
  assert.deepEqual(planChanges(current, [{ key: "a", value: "9" }], true), {
    patch: { a: "9" },
    missing: [],
  });
  assert.deepEqual(
    planChanges(
      current,
      [
        { key: "a", value: "1" },
        { key: "z", remove: true },
      ],
      false,
    ),
    { patch: {}, missing: ["z"] },
  );
});

test("outcomeWord: kubectl's labeled, unlabeled, not labeled; annotate always says annotated", () => {
  const plan = (patch: Record<string, string | null>) => ({ patch, missing: [] });
  assert.equal(outcomeWord("labels", plan({ a: "1" }), false), "labeled");
  assert.equal(outcomeWord("labels", plan({ a: null }), false), "unlabeled");
  assert.equal(outcomeWord("labels", plan({ a: null }), true), "labeled");
  assert.equal(outcomeWord("labels", plan({ a: null, b: "2" }), false), "labeled");
  assert.equal(outcomeWord("labels", plan({}), false), "not labeled");
  assert.equal(outcomeWord("annotations", plan({}), false), "annotated");
  assert.equal(outcomeWord("annotations", plan({ a: null }), false), "annotated");
});
