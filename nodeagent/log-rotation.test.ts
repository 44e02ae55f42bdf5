import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  DEFAULT_ROTATION,
  planRotation,
  rotateContainerLog,
  rotatedFiles,
  rotationLimitsProblem,
  rotationStamp,
} from "./log-rotation.js";

const limits = { maxSizeBytes: 100, maxFiles: 3 };
const now = new Date("2026-11-26T09:49:07.123Z");
const log = "/logs/web/0.log";

describe("container log rotation decisions", () => {
  it("stamps rotated files as the kubelet does, in UTC", () => {
    assert.equal(rotationStamp(now), "20261126-094907");
  });

  it("finds only this log's rotated files, oldest first", () => {
    const names = [
      "0.log",
      "0.log.20261126-094907",
      "0.log.20261126-090000",
      "1.log.20261126-080000",
      "0.log.tmp",
      "0.log.2026",
    ];
    assert.deepEqual(rotatedFiles(log, names), [
      "/logs/web/0.log.20261126-090000",
      "/logs/web/0.log.20261126-094907",
    ]);
  });

  it("leaves a log at or under the limit alone", () => {
    assert.deepEqual(planRotation(log, 100, [], limits, now), { remove: [] });
  });

  it("rotates a log over the limit to a stamped name", () => {
    assert.deepEqual(planRotation(log, 101, [], limits, now), {
      rotateTo: `${log}.20261126-094907`,
      remove: [],
    });
  });

  it("keeps maxFiles - 1 rotated files, counting the one it makes now", () => {
    const rotated = [`${log}.20261126-080000`, `${log}.20261126-090000`];
    assert.deepEqual(planRotation(log, 500, rotated, limits, now), {
      rotateTo: `${log}.20261126-094907`,
      remove: [`${log}.20261126-080000`],
    });
    // Not rotating: the two rotated files are allowed beside the current one.
    assert.deepEqual(planRotation(log, 5, rotated, limits, now), { remove: [] });
    // Limits lowered since (or files left from before): the excess goes, oldest first.
    assert.deepEqual(planRotation(log, 5, rotated, { ...limits, maxFiles: 2 }, now), {
      remove: [`${log}.20261126-080000`],
    });
  });

  it("does not rotate twice within one second (the name is taken): the next round does", () => {
    const rotated = [`${log}.20261126-094907`];
    assert.deepEqual(planRotation(log, 500, rotated, limits, now), { remove: [] });
  });
});

describe("rotateContainerLog on a real directory", () => {
  it("renames, reopens, and deletes the oldest; renames back when the runtime cannot reopen", async () => {
    const dir = mkdtempSync(join(tmpdir(), "k8ts-rotate-"));
    try {
      const path = join(dir, "0.log");
      writeFileSync(join(dir, "0.log.20261126-080000"), "oldest\n");
      writeFileSync(join(dir, "0.log.20261126-090000"), "older\n");
      writeFileSync(path, "x".repeat(200));
      let reopened = 0;
      const did = await rotateContainerLog(
        path,
        limits,
        async () => {
          reopened++;
          writeFileSync(path, ""); // what the runtime's monitor does: a new file at the path
        },
        now,
      );
      assert.equal(reopened, 1);
      assert.deepEqual(did, {
        rotatedTo: `${path}.20261126-094907`,
        removed: [join(dir, "0.log.20261126-080000")],
      });
      assert.deepEqual(readdirSync(dir).sort(), ["0.log", "0.log.20261126-090000", "0.log.20261126-094907"]);

      // Never more files than allowed, not even while the runtime reopens.
      writeFileSync(path, "z".repeat(200));
      let seenDuringReopen: string[] = [];
      await rotateContainerLog(
        path,
        limits,
        async () => {
          seenDuringReopen = readdirSync(dir).sort();
          writeFileSync(path, "");
        },
        new Date("2026-11-26T09:55:00Z"),
      );
      assert.deepEqual(seenDuringReopen, ["0.log.20261126-094907", "0.log.20261126-095500"]);

      writeFileSync(path, "y".repeat(200));
      await assert.rejects(
        rotateContainerLog(
          path,
          limits,
          async () => Promise.reject(new Error("container is not running")),
          new Date("2026-11-26T10:00:00Z"),
        ),
        /not running/,
      );
      assert.equal(readFileSync(path, "utf8"), "y".repeat(200), "the log is back where it was");
      // The oldest rotated file had already made room (as with the kubelet): it stays gone.
      assert.deepEqual(readdirSync(dir).sort(), ["0.log", "0.log.20261126-095500"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("container log rotation limits", () => {
  it("limits rotation could not keep are refused, as the kubelet refuses them", () => {
    assert.equal(rotationLimitsProblem(DEFAULT_ROTATION), undefined);
    assert.equal(rotationLimitsProblem({ maxSizeBytes: 1, maxFiles: 2 }), undefined);
    assert.match(rotationLimitsProblem({ maxSizeBytes: 1024, maxFiles: 1 }) ?? "", /at least 2/);
    assert.match(rotationLimitsProblem({ maxSizeBytes: 0, maxFiles: 5 }) ?? "", /more than 0/);
  });
});
