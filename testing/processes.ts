// Child processes for e2e tests: the k8ts executable and the real kubectl, run with deadlines and
// always stopped by process group.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readlinkSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./wait.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const K8TS_MAIN = join(REPO_ROOT, "dist", "cli", "main.js");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      {
        env: opts.env ?? process.env,
        timeout: opts.timeoutMs ?? 30_000,
        maxBuffer: 16 * 1024 * 1024,
        killSignal: "SIGKILL",
      },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === "number"
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** The versioned kubectl binaries sit beside the one on the PATH (kubectl.1.27 ... kubectl.1.33). */
export function kubectlBinary(version?: string): string {
  if (!version) return "kubectl";
  let dir = "/usr/bin";
  try {
    dir = dirname(realpathSync("/usr/bin/kubectl"));
  } catch {
    try {
      dir = dirname(readlinkSync("/usr/bin/kubectl"));
    } catch {
      /* keep /usr/bin */
    }
  }
  const p = join(dir, `kubectl.${version}`);
  if (!existsSync(p)) throw new Error(`kubectl ${version} not found at ${p}`);
  return p;
}

export interface Daemon {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `k8ts <verb> ...` in its own process group; stop() kills the group and waits. */
export function startK8ts(args: string[], env: NodeJS.ProcessEnv = process.env): Daemon {
  // K8TS_NODE_ARGS passes extra flags to node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile).
  const nodeArgs = (process.env.K8TS_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "--enable-source-maps", K8TS_MAIN, ...args], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  let out = "";
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const gone = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          /* gone */
        }
      }, 5000);
      await gone;
      clearTimeout(t);
    },
  };
}

export async function waitHttpOk(url: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
      } catch {
        return false;
      }
    },
    { timeoutMs, what: `${url} to answer 200` },
  );
}
