import assert from "node:assert/strict";
import { test } from "node:test";
import { LogLineWriter, maxLineBytes, rfc3339Nano } from "./cri-log.js";

function collect(stream: "stdout" | "stderr") {
  const entries: string[] = [];
  const w = new LogLineWriter(
    stream,
    (b) => entries.push(b.toString()),
    () => 1764120000123456789n,
  );
  return { w, entries };
}

test("timestamps are RFC3339 with nanoseconds in UTC", () => {
  assert.equal(rfc3339Nano(1764120000123456789n), "2025-11-26T01:20:00.123456789Z");
  assert.equal(rfc3339Nano(5n), "1970-01-01T00:00:00.000000005Z");
});

test("complete lines become F entries, split across chunks as written", () => {
  const { w, entries } = collect("stdout");
  w.push(Buffer.from("hel"));
  w.push(Buffer.from("lo\nworld\n\nlast"));
  assert.deepEqual(entries, [
    "2025-11-26T01:20:00.123456789Z stdout F hello\n",
    "2025-11-26T01:20:00.123456789Z stdout F world\n",
    "2025-11-26T01:20:00.123456789Z stdout F \n",
  ]);
  w.end();
  assert.equal(entries[3], "2025-11-26T01:20:00.123456789Z stdout F last\n");
});

test("a line longer than the limit is split into P pieces ending with F", () => {
  const { w, entries } = collect("stderr");
  w.push(Buffer.from(`${"x".repeat(maxLineBytes + 10)}\n`));
  assert.equal(entries.length, 2);
  assert.match(entries[0]!, / stderr P x{16384}\n$/);
  assert.match(entries[1]!, / stderr F x{10}\n$/);
});
