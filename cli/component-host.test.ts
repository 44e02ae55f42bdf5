import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { UsageError } from "./command.js";
import { aborted, type StartComponent, untilStopped } from "./component.js";
import { componentFlag, hostCommand } from "./component-host.js";

/** A component that records what happens to it; `endsWith` makes it stop on its own with that code. */
function fake(name: string, events: string[], opts: { endsWith?: number; failStart?: boolean } = {}) {
  const start: StartComponent = async (argv, { log, say }) => {
    if (opts.failStart) throw new Error(`${name} cannot start`);
    events.push(`start ${name} ${argv.join(" ")}`.trim());
    say(`${name} serving`);
    log({ level: "info", msg: "hello" });
    return untilStopped(async (stop) => {
      if (opts.endsWith === undefined) await aborted(stop);
      else await new Promise((r) => setTimeout(r, 20));
      events.push(`stop ${name}`);
      return opts.endsWith ?? 0;
    });
  };
  return { name, start };
}

test("components start in order with their own flags; when one stops on its own, the rest stop in reverse", async () => {
  const events: string[] = [];
  const cmd = hostCommand(
    "test",
    [fake("a", events), fake("b", events), fake("c", events, { endsWith: 1 })],
    "--a-arg k=v",
  );
  const code = await cmd.run(["--a-arg", "port=0", "--a-arg", "leader-elect", "--b-arg", "x=y=z"]);
  assert.equal(code, 1, "the exit code of the component that ended");
  assert.deepEqual(events, [
    "start a --port=0 --leader-elect",
    "start b --x=y=z",
    "start c",
    "stop c",
    "stop b",
    "stop a",
  ]);
});

test("each component's log and output go to its own file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-host-"));
  try {
    const events: string[] = [];
    const cmd = hostCommand("test", [fake("a", events), fake("b", events, { endsWith: 0 })], "");
    const code = await cmd.run(["--a-log", join(dir, "a.log"), "--b-log", join(dir, "b.log")]);
    assert.equal(code, 0);
    for (const c of ["a", "b"]) {
      const lines = readFileSync(join(dir, `${c}.log`), "utf8")
        .trimEnd()
        .split("\n");
      assert.equal(lines[0], `${c} serving`);
      assert.equal(JSON.parse(lines[1]!).component, c);
      assert.equal(lines.length, 2);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a component that cannot start stops the ones already started, and the error reaches the caller", async () => {
  const events: string[] = [];
  const cmd = hostCommand("test", [fake("a", events), fake("b", events, { failStart: true })], "");
  await assert.rejects(cmd.run([]), /b cannot start/);
  assert.deepEqual(events, ["start a", "stop a"]);
});

test("--C-arg takes key=value or a bare key, nothing else", () => {
  assert.equal(componentFlag("a-arg", "port=6443"), "--port=6443");
  assert.equal(componentFlag("a-arg", "leader-elect"), "--leader-elect");
  assert.equal(componentFlag("a-arg", "url=http://x:1/?a=b"), "--url=http://x:1/?a=b");
  for (const bad of ["--port=1", "=1", "", "Port=1"])
    assert.throws(() => componentFlag("a-arg", bad), UsageError);
});

test("a bad flag of a hosted component is refused with the component's name", async () => {
  const start: StartComponent = async (argv) => {
    throw new UsageError(`unknown flag: ${argv[0]}`);
  };
  const cmd = hostCommand("test", [{ name: "apiserver", start }], "");
  await assert.rejects(cmd.run(["--apiserver-arg", "nope=1"]), (err: Error) => {
    assert.ok(err instanceof UsageError);
    assert.equal(err.message, "apiserver: unknown flag: --nope=1");
    return true;
  });
});
