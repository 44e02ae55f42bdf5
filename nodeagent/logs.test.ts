import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LogFollower } from "./logs.js";

const line = (text: string) => `2026-11-26T09:49:00.000000000Z stdout F ${text}\n`;
const texts = (f: LogFollower) => f.next().map((e) => e.content.toString());

/** Runs `fn` with a follower of `<tmp>/0.log` (not created), then removes the directory. */
function withLog(fn: (path: string, f: LogFollower) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-logs-"));
  const path = join(dir, "0.log");
  const f = new LogFollower(path);
  try {
    fn(path, f);
  } finally {
    f.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** "1" read, then the log renamed to .094900 and "2" written to it (the runtime not reopened yet). */
function readThenRotate(path: string, f: LogFollower): void {
  writeFileSync(path, line("1"));
  assert.deepEqual(texts(f), ["1"]);
  renameSync(path, `${path}.20261126-094900`);
  appendFileSync(`${path}.20261126-094900`, line("2"));
}

/** "1" read, then two rotations before the next read: "2" in .094901, "3" current. */
function readThenRotateTwice(path: string, f: LogFollower): void {
  writeFileSync(path, line("1"));
  assert.deepEqual(texts(f), ["1"]);
  renameSync(path, `${path}.20261126-094900`);
  writeFileSync(path, line("2"));
  renameSync(path, `${path}.20261126-094901`);
  writeFileSync(path, line("3"));
}

describe("LogFollower", () => {
  it("reads what is there, then only what was added, holding back a partial line", () =>
    withLog((path, f) => {
      writeFileSync(path, line("a") + line("b"));
      assert.deepEqual(texts(f), ["a", "b"]);
      assert.deepEqual(texts(f), []);
      appendFileSync(path, `${line("c")}2026-11-26T09:49:00.000000000Z stdout F d-unfinished`);
      assert.deepEqual(texts(f), ["c"]);
      appendFileSync(path, "\n");
      assert.deepEqual(texts(f), ["d-unfinished"]);
    }));

  it("follows across a rotation: the renamed file to its end, then the new file from its start", () =>
    withLog((path, f) => {
      // "2" is written after the rename, before the runtime reopened the path: still the old file.
      readThenRotate(path, f);
      assert.deepEqual(texts(f), ["2"]);
      assert.deepEqual(texts(f), [], "the path names no file yet");
      writeFileSync(path, line("3") + line("4"));
      assert.deepEqual(texts(f), ["3", "4"]);
      appendFileSync(path, line("5"));
      assert.deepEqual(texts(f), ["5"]);
    }));

  it("several rotations between two reads: the rotated files in between are read in order", () =>
    withLog((path, f) => {
      readThenRotateTwice(path, f);
      assert.deepEqual(texts(f), ["2", "3"]);
      assert.deepEqual(texts(f), []);
    }));

  it("lines left in the renamed file and a reopened log: one read returns both, in order", () =>
    withLog((path, f) => {
      readThenRotate(path, f);
      writeFileSync(path, line("3"));
      // A follower's last read (the container has just stopped) must not leave "3" behind.
      assert.deepEqual(texts(f), ["2", "3"]);
    }));

  it("the file being read was deleted meanwhile: the rotated files left are all newer, read in order", () =>
    withLog((path, f) => {
      readThenRotateTwice(path, f);
      unlinkSync(`${path}.20261126-094900`);
      assert.deepEqual(texts(f), ["2", "3"]);
    }));

  it("a log that does not exist yet reads as empty until it does", () =>
    withLog((path, f) => {
      assert.deepEqual(texts(f), []);
      writeFileSync(path, line("late"));
      assert.deepEqual(texts(f), ["late"]);
    }));
});
