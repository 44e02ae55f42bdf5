import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { waitFor } from "../../testing/index.js";
import { onChange, waitInDir } from "./on-change.js";

test("a file appearing in the directory wakes the check long before the fallback poll", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-onchange-"));
  let calls = 0;
  const watching = onChange(dir, () => calls++, 60_000);
  try {
    const t0 = Date.now();
    writeFileSync(join(dir, "started.json.tmp"), "{}");
    await waitFor(() => calls > 0, { timeoutMs: 10_000, what: "the check to run" });
    assert.ok(Date.now() - t0 < 10_000);
  } finally {
    watching.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("without changes the fallback poll still runs the check; close stops it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-onchange-"));
  let calls = 0;
  const watching = onChange(dir, () => calls++, 20);
  try {
    await waitFor(() => calls >= 2, { timeoutMs: 10_000, what: "two polls" });
    watching.close();
    const after = calls;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(calls, after, "no check after close");
  } finally {
    watching.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("changes to names the filter rejects do not wake the check", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-onchange-"));
  const seen: string[] = [];
  const watching = onChange(
    dir,
    () => seen.push("check"),
    60_000,
    (name) => name === "exit.json",
  );
  try {
    writeFileSync(join(dir, "exit.json.tmp"), "{}");
    writeFileSync(join(dir, "exit.json"), "{}");
    await waitFor(() => seen.length > 0, { timeoutMs: 10_000, what: "the check to run" });
    // inotify reports in order: had the .tmp file woken it, that would have come first; both
    // events for exit.json (create, write) may each wake it.
    assert.ok(seen.length <= 2, `woken ${seen.length} times`);
  } finally {
    watching.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("waitInDir resolves with the probe's value once the report appears, undefined at the deadline", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-onchange-"));
  try {
    const probe = () => (existsSync(join(dir, "exit.json")) ? "exited" : undefined);
    const waiting = waitInDir(dir, ["exit.json"], { fallbackMs: 60_000, timeoutMs: 60_000 }, probe);
    writeFileSync(join(dir, "exit.json"), "{}");
    assert.equal(await waiting, "exited");
    const t0 = Date.now();
    const none = await waitInDir(dir, ["started.json"], { fallbackMs: 20, timeoutMs: 100 }, () => undefined);
    assert.equal(none, undefined);
    assert.ok(Date.now() - t0 >= 100, "not before the deadline");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
