// An exec command with its stdin, stdout and stderr on pipes (no TTY).

import { spawn } from "node:child_process";
import { constants } from "node:os";
import type { Launch } from "../backends/backend.js";
import type { ExecExit, ExecProcess } from "./exec-process.js";

export function startPiped(launch: Launch, stdin: boolean): ExecProcess {
  const child = spawn(launch.argv[0]!, launch.argv.slice(1), {
    env: launch.env,
    cwd: launch.cwd,
    stdio: [stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let listener: (channel: 1 | 2, data: Buffer) => void = () => {};
  child.stdout?.on("data", (d: Buffer) => listener(1, d));
  child.stderr?.on("data", (d: Buffer) => listener(2, d));
  child.stdin?.on("error", () => {});
  let spawnError: Error | undefined;
  child.on("error", (e) => {
    spawnError = e;
  });
  const exited = new Promise<ExecExit>((resolve) => {
    // "close" comes after stdout and stderr are drained.
    child.on("close", (code, signal) => {
      if (spawnError) resolve({ exitCode: 127, failure: spawnError.message });
      else resolve({ exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0) });
    });
  });
  return {
    onOutput: (l) => {
      listener = l;
    },
    writeStdin: (d) => child.stdin?.write(d),
    endStdin: () => child.stdin?.end(),
    resize: () => {},
    kill: () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
    exited,
  };
}
