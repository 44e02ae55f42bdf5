// The compiled container monitor (monitor.c, built by `npm run build`) run on small shell commands,
// started with the command line the shim gives it: the CRI log lines it writes and the started.json /
// exit.json reports the shim reads.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { type ExitFile, monitorArgs, monitorBinary, type StartedFile } from "./launcher.js";

const scratch = mkdtempSync(join(tmpdir(), "k8ts-monitor-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
let runs = 0;

interface Entry {
  time: string;
  stream: string;
  tag: string;
  content: string;
}

interface Run {
  dir: string;
  entries: Entry[];
  started?: StartedFile;
  exit: ExitFile;
  monitorExitCode: number | null;
}

/** Runs the monitor on `argv` until it ends, then reads what it left behind. */
async function monitor(
  argv: string[] | ((dir: string) => string[]),
  options: {
    pidFile?: string;
    cwd?: string;
    env?: Record<string, string>;
    rootfsOverlay?: (dir: string) => { target: string; options: string };
  } = {},
): Promise<Run> {
  const dir = join(scratch, `c${runs++}`);
  mkdirSync(dir);
  const logPath = join(dir, "container.log");
  const args = monitorArgs(dir, {
    argv: typeof argv === "function" ? argv(dir) : argv,
    logPath,
    ...(options.pidFile && { pidFile: join(dir, options.pidFile) }),
    ...(options.cwd && { cwd: options.cwd }),
    ...(options.rootfsOverlay && { rootfsOverlay: options.rootfsOverlay(dir) }),
  });
  const child = spawn(monitorBinary, args, {
    env: options.env ?? { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    stdio: "ignore",
  });
  const monitorExitCode = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const log = existsSync(logPath) ? readFileSync(logPath, "utf8") : "";
  const entries = log
    .split("\n")
    .slice(0, -1)
    .map((line) => {
      const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (stdout|stderr) ([FP]) (.*)$/s.exec(line);
      assert.ok(m, `a CRI log line: ${JSON.stringify(line.slice(0, 80))}`);
      return { time: m[1]!, stream: m[2]!, tag: m[3]!, content: m[4]! };
    });
  const read = (name: string) =>
    existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), "utf8")) : undefined;
  return { dir, entries, started: read("started.json"), exit: read("exit.json"), monitorExitCode };
}

const lines = (r: Run, stream: string) =>
  r.entries.filter((e) => e.stream === stream).map((e) => `${e.tag} ${e.content}`);

test("complete lines are F entries per stream, an unterminated last line is flushed at exit", async () => {
  const before = Date.now();
  const r = await monitor([
    "sh",
    "-c",
    'printf hel; sleep 0.05; printf "lo\\nworld\\n\\n"; echo oops >&2; printf last; exit 3',
  ]);
  assert.equal(r.monitorExitCode, 0);
  assert.deepEqual(lines(r, "stdout"), ["F hello", "F world", "F ", "F last"]);
  assert.deepEqual(lines(r, "stderr"), ["F oops"]);
  const ms = Date.parse(r.entries[0]!.time);
  assert.ok(ms >= before - 1000 && ms <= Date.now() + 1000, "timestamps are UTC wall-clock time");
  assert.ok(r.started && r.started.pid > 0);
  assert.ok(r.started.startedAt / 1e6 >= before - 1000);
  assert.equal(r.exit.exitCode, 3);
  assert.equal(r.exit.oomKilled, false);
  assert.equal(r.exit.startError, undefined);
  assert.ok(r.exit.finishedAt >= r.started.startedAt);
  assert.equal(existsSync(join(r.dir, "exit.json.tmp")), false, "reports are renamed into place");
});

test("a line longer than 16 KiB is split into P pieces ending with F", async () => {
  const r = await monitor(["sh", "-c", "printf '%40000s\\n' '' | tr ' ' x"]);
  assert.deepEqual(
    r.entries.map((e) => [e.tag, e.content.length, /^x*$/.test(e.content)]),
    [
      ["P", 16384, true],
      ["P", 16384, true],
      ["F", 40000 - 2 * 16384, true],
    ],
  );
});

test("a command ended by a signal exits with 128 + the signal's number", async () => {
  const r = await monitor(["sh", "-c", "kill -TERM $$"]);
  assert.equal(r.exit.exitCode, 143);
});

test("the command gets the given environment and working directory, in its own process group", async () => {
  const r = await monitor(["sh", "-c", 'echo "$FOO $PWD"; echo "$$ $(cut -d" " -f5 /proc/$$/stat)"'], {
    env: { FOO: "bar", PATH: process.env.PATH ?? "/usr/bin:/bin" },
    cwd: "/tmp",
  });
  const [env, group] = lines(r, "stdout");
  assert.equal(env, "F bar /tmp");
  const [pid, pgrp] = group!.slice(2).split(" ");
  assert.equal(pid, pgrp, "its pid is its process group");
  assert.equal(Number(pid), r.started?.pid);
});

test("with a pid file the container starts when the file appears; output before it is kept", async () => {
  const r = await monitor(
    (dir) => [
      "sh",
      "-c",
      `echo before; sleep 0.1; echo 4242 > ${dir}/pid.tmp; mv ${dir}/pid.tmp ${dir}/pid; echo after`,
    ],
    { pidFile: "pid" },
  );
  assert.equal(r.started?.pid, 4242);
  assert.deepEqual(lines(r, "stdout"), ["F before", "F after"]);
  assert.equal(r.exit.exitCode, 0);
});

test("a runtime that fails before the pid file appears is a start error in its own words", async () => {
  const r = await monitor(
    [
      "sh",
      "-c",
      'echo \'time="2026-01-01T00:00:00Z" level=error msg="exec: \\"nope\\": executable file not found in $PATH"\' >&2; exit 1',
    ],
    { pidFile: "pid" },
  );
  assert.equal(r.started, undefined);
  assert.equal(r.exit.exitCode, 128);
  assert.equal(r.exit.startError, 'exec: "nope": executable file not found in $PATH');
  assert.deepEqual(r.entries, [], "nothing reaches the container's log");
});

test("a missing command is a start error naming it", async () => {
  const r = await monitor(["/bin/no-such-command"]);
  assert.equal(r.started, undefined);
  assert.equal(r.exit.exitCode, 128);
  assert.match(r.exit.startError ?? "", /no-such-command.*No such file or directory/);
});

test("the rootfs overlay is mounted before the command runs; a mount that fails is a start error", async () => {
  const layers = (dir: string) => {
    for (const d of ["lower", "upper", "work", "rootfs"]) mkdirSync(join(dir, d));
    writeFileSync(join(dir, "lower", "from-image"), "image\n");
    return {
      target: join(dir, "rootfs"),
      options: `lowerdir=${join(dir, "lower")},upperdir=${join(dir, "upper")},workdir=${join(dir, "work")}`,
    };
  };
  const ok = await monitor(
    (dir) => ["sh", "-c", `cat ${dir}/rootfs/from-image; echo new > ${dir}/rootfs/written`],
    {
      rootfsOverlay: layers,
    },
  );
  try {
    assert.equal(ok.exit.exitCode, 0, ok.exit.startError);
    assert.deepEqual(
      ok.entries.map((e) => e.content),
      ["image"],
    );
    assert.equal(
      readFileSync(join(ok.dir, "upper", "written"), "utf8"),
      "new\n",
      "writes land in the upper layer",
    );
    assert.equal(existsSync(join(ok.dir, "lower", "written")), false, "the image is never written");
  } finally {
    spawnSync("umount", [join(ok.dir, "rootfs")]);
  }

  const bad = await monitor(["true"], {
    rootfsOverlay: (dir) => ({ target: join(dir, "missing"), options: `lowerdir=${dir}/none` }),
  });
  assert.equal(bad.started, undefined);
  assert.equal(bad.exit.exitCode, 128);
  assert.match(bad.exit.startError ?? "", /^mount the container's rootfs \(overlay on .*missing\): /);
});
