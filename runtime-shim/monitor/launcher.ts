// Starting a container's monitor and reading what it reports. The shim never waits on container
// processes itself: it reads started.json / exit.json from the container's directory, which is what
// lets a restarted shim pick up containers started by its previous run.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ShimError } from "../errors.js";
import type { ExitFile, MonitorInput, StartedFile } from "./main.js";
import { onChange } from "./on-change.js";

const monitorMain = fileURLToPath(new URL("./main.js", import.meta.url));

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
 * Monitors started ahead of need, one at a time: taking one hands it a container directory; the next
 * is started (warm) once that container runs, so its Node start-up does not compete with `runc run`
 * for the CPU, and a StartContainer pays for `runc run`, not for a Node start-up.
 */
export class MonitorPool {
  private standby: Promise<ChildProcess> | undefined;

  private spawnStandby(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [monitorMain, "--standby"], {
      detached: true,
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    child.unref();
    (child.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
    const ready = new Promise<ChildProcess>((resolve, reject) => {
      child.once("message", () => resolve(child));
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`standby monitor exited with ${code}`)));
    });
    ready.catch(() => {});
    return ready;
  }

  /** Starts a standby monitor now, so even the first StartContainer finds one ready. */
  warm(): void {
    this.standby ??= this.spawnStandby();
  }

  /** Hands `dir` to a ready monitor; returns the monitor's pid. */
  async take(dir: string): Promise<number> {
    const next = this.standby ?? this.spawnStandby();
    this.standby = undefined;
    let child: ChildProcess;
    try {
      child = await next;
    } catch {
      child = await this.spawnStandby();
    }
    child.send({ dir });
    return child.pid ?? 0;
  }

  /** Ends the monitor waiting in standby (it holds no container). */
  async close(): Promise<void> {
    const pending = this.standby;
    this.standby = undefined;
    const child = await pending?.catch(() => undefined);
    if (child?.connected) child.disconnect();
  }
}

/** Starts the monitor for the container in `dir` and resolves once it runs or has failed to start. */
export async function launchMonitor(
  pool: MonitorPool,
  dir: string,
  input: MonitorInput,
  timeoutMs = 30_000,
): Promise<LaunchOutcome> {
  writeFileSync(join(dir, "launch.json"), JSON.stringify(input));
  const monitorPid = await pool.take(dir);
  try {
    return await awaitOutcome(dir, monitorPid, timeoutMs);
  } finally {
    pool.warm();
  }
}

function awaitOutcome(dir: string, monitorPid: number, timeoutMs: number): Promise<LaunchOutcome> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    let watching: { close(): void } | undefined;
    let settled = false;
    const check = () => {
      if (settled) return;
      const outcome = outcomeNow(dir, monitorPid);
      if (!outcome && Date.now() <= deadline) return;
      settled = true;
      watching?.close();
      if (outcome) resolve(outcome);
      else reject(new ShimError("DeadlineExceeded", `container did not start within ${timeoutMs} ms`));
    };
    // The monitor's reports are renamed into `dir`, which wakes the watch; the poll behind it also
    // notices a monitor that died without a word.
    watching = onChange(dir, check, 25);
    check();
  });
}

/** What the monitor has reported so far, or undefined while the container is still starting. */
function outcomeNow(dir: string, monitorPid: number): LaunchOutcome | undefined {
  const started = readStarted(dir);
  if (started) return { kind: "started", started, monitorPid };
  const exit = readExit(dir);
  if (exit)
    return exit.startError ? { kind: "failed", exit, monitorPid } : startedThenExited(dir, exit, monitorPid);
  if ((monitorPid === 0 || !alive(monitorPid)) && !existsSync(join(dir, "exit.json")))
    // The monitor itself died before reporting: treat as a failed start.
    return {
      kind: "failed",
      monitorPid,
      exit: {
        exitCode: 128,
        finishedAt: Date.now() * 1e6,
        oomKilled: false,
        startError: "the container monitor exited without starting the container",
      },
    };
  return undefined;
}

function startedThenExited(dir: string, exit: ExitFile, monitorPid: number): LaunchOutcome {
  const started = readStarted(dir) ?? { pid: 0, startedAt: exit.finishedAt };
  return { kind: "started", started, monitorPid };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
