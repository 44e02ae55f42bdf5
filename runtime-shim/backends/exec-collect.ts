// Runs a command to completion, collecting stdout and stderr, with an optional timeout after which
// the command's process group is killed. Shared by the backends' ExecSync.

import { spawn } from "node:child_process";
import { constants } from "node:os";
import type { ExecResult } from "./backend.js";

export function runCollect(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number; onTimeout?: () => void },
): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      env: options.env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      options.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            options.onTimeout?.();
            try {
              process.kill(-child.pid!, "SIGKILL");
            } catch {}
          }, options.timeoutMs)
        : undefined;
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    let missing = false;
    child.on("error", (e: NodeJS.ErrnoException) => {
      missing = e.code === "ENOENT";
      err.push(Buffer.from(`${e.message}\n`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // A command that cannot be found exits 127 and one killed by a signal 128+n, as in a shell.
      const exitCode = missing ? 127 : (code ?? 128 + (signal ? constants.signals[signal] : 0));
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitCode, timedOut });
    });
  });
}
