import assert from "node:assert/strict";
import { test } from "node:test";
import { Undo } from "./undo.js";

test("a failed multi-step call undoes its steps newest first and rethrows the original error", async () => {
  const done: string[] = [];
  await assert.rejects(
    new Undo().run(async (undo) => {
      undo.add(() => done.push("undo netns"));
      undo.add(() => {
        done.push("undo mount");
        throw new Error("umount failed"); // an undo step failing does not hide the cause
      });
      undo.add(async () => done.push("undo record"));
      throw new Error("CNI ADD failed");
    }),
    /CNI ADD failed/,
  );
  assert.deepEqual(done, ["undo record", "undo mount", "undo netns"]);
});

test("a successful call keeps everything", async () => {
  const done: string[] = [];
  const result = await new Undo().run(async (undo) => {
    undo.add(() => done.push("undo"));
    return 42;
  });
  assert.equal(result, 42);
  assert.deepEqual(done, []);
});
