// Starting and stopping a cluster's processes: each detached in its own process group with its
// log file, so it outlives `k8ts up` and `k8ts down` can stop exactly it (and its children).

import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isAlive, type ProcessRecord } from "./state.js";

const MAIN = fileURLToPath(new URL("../main.js", import.meta.url));

export function spawnLogged(
  name: string,
  cmd: string,
  args: string[],
  logsDir: string,
  /** The child's environment; this process's when omitted. */
  env?: NodeJS.ProcessEnv,
): ProcessRecord {
  mkdirSync(logsDir, { recursive: true });
  const log = join(logsDir, `${name}.log`);
  const fd = openSync(log, "a");
  try {
    const child = spawn(cmd, args, { detached: true, stdio: ["ignore", fd, fd], env });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${name} (${cmd})`);
    return { name, pid: child.pid, args: [cmd, ...args], log };
  } finally {
    closeSync(fd);
  }
}

/** The command line of `k8ts <verb> ...`, with Node.js/V8 flags before the script. */
export function k8tsCommand(verbArgs: string[], nodeFlags: readonly string[] = []): string[] {
  return [process.execPath, ...nodeFlags, MAIN, ...verbArgs];
}

/** A k8ts component (`k8ts <verb> ...`) as its own process. */
export function spawnComponent(
  name: string,
  verbArgs: string[],
  logsDir: string,
  nodeFlags: readonly string[] = [],
): ProcessRecord {
  const [node, ...args] = k8tsCommand(verbArgs, nodeFlags);
  return spawnLogged(name, node!, args, logsDir);
}

/** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the leader is gone. */
export async function stopProcess(p: ProcessRecord, graceMs = 5000): Promise<"stopped" | "not running"> {
  if (!isAlive(p.pid)) return "not running";
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-p.pid, sig);
    } catch {
      try {
        process.kill(p.pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isAlive(p.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(p.pid)) {
    signal("SIGKILL");
    const hard = Date.now() + 5000;
    while (isAlive(p.pid) && Date.now() < hard) await new Promise((r) => setTimeout(r, 50));
  }
  return "stopped";
}
