import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { drainBeforeDestroy } from "./pty-drain.js";

test("output still unread when node-pty destroys the terminal is handed on, not lost", async () => {
  const { spawn } = await import("node-pty");
  const dir = mkdtempSync(join(tmpdir(), "k8ts-pty-drain-"));
  const marker = join(dir, "written");
  const term = spawn("sh", ["-c", `echo last-line; touch ${marker}; exec sleep 30`], {
    cols: 80,
    rows: 24,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    encoding: null,
  });
  try {
    let seen = "";
    term.onData((d) => {
      seen += d.toString();
    });
    drainBeforeDestroy(term, (d) => {
      seen += d.toString();
    });
    // Hold the event loop until the command has written, so nothing is read the usual way first;
    // then destroy the terminal as node-pty does 200 ms after an exit on a busy machine.
    const deadline = Date.now() + 10_000;
    while (!existsSync(marker) && Date.now() < deadline) {
      // busy: the loop must not run
    }
    assert.ok(existsSync(marker), "the command wrote its line");
    assert.equal(seen, "");
    (term as unknown as { _socket: { destroy(): void } })._socket.destroy();
    assert.match(seen, /last-line\r\n/);
  } finally {
    term.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
