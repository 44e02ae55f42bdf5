// Starting a container's monitor and reading what it reports. The monitor is k8ts-monitor
// (monitor.c, compiled beside this file by `npm run build`): a small C process per container, like
// CRI-O's conmon. The shim never waits on container processes itself: it reads started.json /
// exit.json from the container's directory, which is what lets a restarted shim pick up containers
// started by its previous run.

import { spawn } from "node:child_process";
import { closeSync, constants, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Launch } from "../backends/backend.js";
import { ShimError } from "../errors.js";
import { waitInDir } from "./on-change.js";

export const monitorBinary = fileURLToPath(new URL("./k8ts-monitor", import.meta.url));

export interface MonitorInput extends Launch {
  logPath: string;
}

/** started.json: the container's process runs. */
export interface StartedFile {
  pid: number;
  /** Nanoseconds since the Unix epoch. */
  startedAt: number;
}

/** exit.json: the container's process ended, or never ran. */
export interface ExitFile {
  /** 128 + the signal's number when a signal ended it; 128 for a failed start. */
  exitCode: number;
  finishedAt: number;
  oomKilled: boolean;
  /** Set when the process never ran: why, in the runtime's words. */
  startError?: string;
}

export type LaunchOutcome =
  | { kind: "started"; started: StartedFile; monitorPid: number }
  | { kind: "failed"; exit: ExitFile; monitorPid: number };

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

export function readStarted(dir: string): StartedFile | undefined {
  return readJson<StartedFile>(join(dir, "started.json"));
}

export function readExit(dir: string): ExitFile | undefined {
  return readJson<ExitFile>(join(dir, "exit.json"));
}

/**
 * Asks the monitor of the container in `dir` to open its log path again (after a rotation): one 'r'
 * on its FIFO `ctl`. Non-blocking: with no reader (the monitor is gone) it throws at once (ENXIO)
 * instead of waiting for one.
 */
export function askReopenLog(dir: string): void {
  const fd = openSync(join(dir, "ctl"), constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    writeSync(fd, "r");
  } finally {
    closeSync(fd);
  }
}

/** The monitor's command line for the container in `dir` (its environment is the container's). */
export function monitorArgs(dir: string, input: MonitorInput): string[] {
  const args = ["--dir", dir, "--log", input.logPath];
  if (input.pidFile) args.push("--pid-file", input.pidFile);
  if (input.oomCounter) args.push("--oom-counter", input.oomCounter);
  if (input.cwd) args.push("--cwd", input.cwd);
  if (input.rootfsOverlay)
    args.push(
      "--overlay-target",
      input.rootfsOverlay.target,
      "--overlay-options",
      input.rootfsOverlay.options,
    );
  return [...args, "--", ...input.argv];
}

/** Starts the monitor for the container in `dir` and resolves once it runs or has failed to start. */
export async function launchMonitor(
  dir: string,
  input: MonitorInput,
  timeoutMs = 30_000,
): Promise<LaunchOutcome> {
  // Its own session (detached), so it and the container outlive the shim; unref'd, so the shim does
  // not wait for it. Node still reaps it when it ends, which is what lets alive() see it gone.
  const child = spawn(monitorBinary, monitorArgs(dir, input), {
    env: input.env ?? {},
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (e) =>
      reject(new ShimError("StartFailed", `cannot run the container monitor ${monitorBinary}: ${e.message}`)),
    );
  });
  return awaitOutcome(dir, child.pid!, timeoutMs);
}

async function awaitOutcome(dir: string, monitorPid: number, timeoutMs: number): Promise<LaunchOutcome> {
  // The monitor's reports are renamed into `dir`, which wakes the wait (the temporary files it writes
  // first do not need a look); the slow poll behind it notices a monitor that died without a word.
  const outcome = await waitInDir(dir, ["started.json", "exit.json"], { fallbackMs: 250, timeoutMs }, () =>
    outcomeNow(dir, monitorPid),
  );
  if (!outcome) throw new ShimError("DeadlineExceeded", `container did not start within ${timeoutMs} ms`);
  return outcome;
}

/** What the monitor has reported so far, or undefined while the container is still starting. */
function outcomeNow(dir: string, monitorPid: number): LaunchOutcome | undefined {
  const reported = reportedNow(dir, monitorPid);
  if (reported || alive(monitorPid)) return reported;
  // It may have reported just before it ended; otherwise it died before reporting: a failed start.
  return (
    reportedNow(dir, monitorPid) ?? {
      kind: "failed",
      monitorPid,
      exit: {
        exitCode: 128,
        finishedAt: Date.now() * 1e6,
        oomKilled: false,
        startError: "the container monitor exited without starting the container",
      },
    }
  );
}

function reportedNow(dir: string, monitorPid: number): LaunchOutcome | undefined {
  const started = readStarted(dir);
  if (started) return { kind: "started", started, monitorPid };
  const exit = readExit(dir);
  if (!exit) return undefined;
  if (exit.startError) return { kind: "failed", exit, monitorPid };
  // It ran and ended between the two reads: started.json is written before exit.json.
  return { kind: "started", started: readStarted(dir) ?? { pid: 0, startedAt: exit.finishedAt }, monitorPid };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
