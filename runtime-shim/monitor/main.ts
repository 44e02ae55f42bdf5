// The container monitor: one small process per started container, like containerd's shim or CRI-O's
// conmon. It runs the backend's launch command, copies the container's stdout/stderr into the CRI log
// file, and writes what happened into the container's state directory:
//   started.json  {pid, startedAt}            once the container's process runs
//   exit.json     {exitCode, finishedAt, oomKilled, startError?}  when it ends (or failed to start)
// It runs in its own session, so containers outlive a shim restart and the shim reads these files
// again when it comes back (recover.ts).
//
// Usage: node monitor/main.js <container state dir>   (reads <dir>/launch.json)
//        node monitor/main.js --standby               (waits for the directory over IPC)

import { spawn } from "node:child_process";
import { existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join } from "node:path";
import type { Launch } from "../backends/backend.js";
import { LogLineWriter } from "./cri-log.js";
import { onChange } from "./on-change.js";

export interface MonitorInput extends Launch {
  logPath: string;
}

export interface StartedFile {
  pid: number;
  startedAt: number;
}

export interface ExitFile {
  exitCode: number;
  finishedAt: number;
  oomKilled: boolean;
  /** Set when the process never ran: why, in the runtime's words. */
  startError?: string;
}

const nowNanos = () => BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);

function writeJson(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(value));
  renameSync(`${file}.tmp`, file);
}

function oomKills(counter: string | undefined): number {
  if (!counter) return 0;
  try {
    const m = /oom_kill (\d+)/.exec(readFileSync(counter, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function main(dir: string): void {
  const input = JSON.parse(readFileSync(join(dir, "launch.json"), "utf8")) as MonitorInput;
  const log = openSync(input.logPath, "a");
  const write = (b: Buffer) => writeSync(log, b);
  const out = new LogLineWriter("stdout", write, nowNanos);
  const err = new LogLineWriter("stderr", write, nowNanos);
  let started = false;
  let beforeStart: { stream: LogLineWriter; chunk: Buffer }[] = [];
  const oomBefore = oomKills(input.oomCounter);

  const child = spawn(input.argv[0]!, input.argv.slice(1), {
    env: input.env ?? {},
    cwd: input.cwd,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a stop reaches everything the container forked (process backend).
    detached: true,
  });

  const markStarted = (pid: number) => {
    if (started) return;
    started = true;
    writeJson(join(dir, "started.json"), { pid, startedAt: Number(nowNanos()) } satisfies StartedFile);
    for (const { stream, chunk } of beforeStart) stream.push(chunk);
    beforeStart = [];
  };
  const onData = (stream: LogLineWriter) => (chunk: Buffer) => {
    if (started) stream.push(chunk);
    else beforeStart.push({ stream, chunk });
  };
  child.stdout.on("data", onData(out));
  child.stderr.on("data", onData(err));

  // runc writes the container's pid once the container runs; until then a failure is a start error.
  let pidWatch: { close(): void } | undefined;
  const checkPidFile = () => {
    const pidFile = input.pidFile;
    if (started || !pidFile || !existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    if (pid > 0) {
      pidWatch?.close();
      markStarted(pid);
    }
  };
  child.on("spawn", () => {
    if (!input.pidFile) return markStarted(child.pid!);
    pidWatch = onChange(dirname(input.pidFile), checkPidFile, 20);
    checkPidFile();
  });

  let spawnError: Error | undefined;
  child.on("error", (e) => {
    spawnError = e;
  });

  child.on("close", (code, signal) => {
    pidWatch?.close();
    // A container that ran and ended before the pid file was noticed still started.
    checkPidFile();
    const finishedAt = Number(nowNanos());
    if (!started) {
      // runc explains itself in a logrus line: time="..." level=error msg="..."
      const raw = beforeStart
        .map((b) => b.chunk.toString())
        .join("")
        .trim();
      const said = /msg="((?:[^"\\]|\\.)*)"/.exec(raw)?.[1]?.replace(/\\"/g, '"') ?? raw;
      const reason = spawnError
        ? `${spawnError.message}`
        : said || `exited with code ${code} before starting`;
      writeJson(join(dir, "exit.json"), {
        exitCode: 128,
        finishedAt,
        oomKilled: false,
        startError: reason,
      } satisfies ExitFile);
      return;
    }
    out.end();
    err.end();
    const exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
    const oomKilled = oomKills(input.oomCounter) > oomBefore;
    writeJson(join(dir, "exit.json"), { exitCode, finishedAt, oomKilled } satisfies ExitFile);
  });
}

// The shim starts monitors with SIGHUP/SIGINT possibly aimed at its old terminal; a monitor ends only
// when its container does.
process.on("SIGHUP", () => {});
process.on("SIGINT", () => {});
if (process.argv[2] === "--standby") {
  // Started ahead of need by the shim's pool (launcher.ts), so Node's start-up is off the path of
  // StartContainer: wait for a container directory, cut the channel, become that container's monitor.
  // A standby whose shim goes away before handing it a container just ends.
  let taken = false;
  process.once("message", (msg: { dir: string }) => {
    taken = true;
    process.disconnect?.();
    main(msg.dir);
  });
  process.once("disconnect", () => {
    if (!taken) process.exit(0);
  });
  process.send?.({ ready: true });
} else {
  main(process.argv[2]!);
}
