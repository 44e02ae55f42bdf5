import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeWatchStream, WatchDecodeError } from "./watch-stream.js";

async function* chunksOf(bytes: Uint8Array, sizes: number[]) {
  let at = 0;
  for (const n of sizes) {
    yield bytes.slice(at, at + n);
    at += n;
  }
  if (at < bytes.length) yield bytes.slice(at);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const lines = [
  { type: "ADDED", object: { metadata: { name: "grüße", resourceVersion: "5" } } },
  { type: "MODIFIED", object: { metadata: { name: "b", resourceVersion: "6" } } },
  {
    type: "ERROR",
    object: {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      reason: "Expired",
      code: 410,
    },
  },
];

test("events split anywhere across chunks, even inside a UTF-8 character, decode intact", async () => {
  const text = `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`;
  const bytes = new TextEncoder().encode(text);
  for (const size of [1, 2, 3, 7, 64, bytes.length]) {
    const sizes = Array.from({ length: Math.ceil(bytes.length / size) }, () => size);
    const got = await collect(decodeWatchStream(chunksOf(bytes, sizes)));
    assert.deepEqual(got, lines, `chunks of ${size} bytes`);
  }
});

test("blank lines are skipped and a last event without a newline still counts", async () => {
  const text = `\n${JSON.stringify(lines[0])}\n\n${JSON.stringify(lines[1])}`;
  const got = await collect(decodeWatchStream(chunksOf(new TextEncoder().encode(text), [])));
  assert.deepEqual(got, lines.slice(0, 2));
});

test("a line that is not a watch event is an error, not a silent skip", async () => {
  for (const bad of ["{not json", '{"type":"WEIRD","object":{}}', '{"type":"ADDED"}']) {
    await assert.rejects(
      collect(decodeWatchStream(chunksOf(new TextEncoder().encode(`${bad}\n`), []))),
      WatchDecodeError,
    );
  }
});

test("chunks that are views into a larger buffer (not at its start) decode as their own bytes", async () => {
  const text = `${lines.map((l) => JSON.stringify(l)).join("\r\n")}\r\n`;
  const padded = new TextEncoder().encode(`garbage-before${text}garbage-after`);
  const view = padded.subarray("garbage-before".length, "garbage-before".length + Buffer.byteLength(text));
  async function* views() {
    for (let at = 0; at < view.length; at += 5) yield view.subarray(at, at + 5);
  }
  assert.deepEqual(await collect(decodeWatchStream(views())), lines);
});
