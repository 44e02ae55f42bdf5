// The process backend: containers are plain child processes on the host, for machines without root
// or runc. The API behaves as with runc, but there is no isolation: commands run from the host's
// filesystem (the image only supplies defaults such as PATH and Cmd), pods share the host network
// (no pod IP), and memory/cpu limits are recorded, not enforced — Version and Status say so.

import { existsSync, readFileSync } from "node:fs";
import type { ContainerRecord } from "../../store.js";
import type { Backend, ExecResult, Launch, Usage } from "../backend.js";
import { runCollect } from "../exec-collect.js";
import { processCpuMs } from "./proc-cpu.js";

function envObject(env: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env) {
    const eq = e.indexOf("=");
    out[eq < 0 ? e : e.slice(0, eq)] = eq < 0 ? "" : e.slice(eq + 1);
  }
  return out;
}

export class ProcessBackend implements Backend {
  readonly name = "process" as const;
  readonly enforcesLimits = false;

  async runSandbox(): Promise<{ ip: string }> {
    return { ip: "" };
  }

  async stopSandbox(): Promise<void> {}

  async createContainer(): Promise<void> {}

  async launch(ctr: ContainerRecord): Promise<Launch> {
    return { argv: ctr.argv, env: envObject(ctr.env), cwd: existsSync(ctr.cwd) ? ctr.cwd : "/" };
  }

  async kill(ctr: ContainerRecord, signal: NodeJS.Signals): Promise<void> {
    if (!ctr.pid) return;
    try {
      // The monitor started the container in its own process group: signal all of it.
      process.kill(-ctr.pid, signal);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
    }
  }

  execSync(ctr: ContainerRecord, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    return runCollect(cmd, { env: envObject(ctr.env), cwd: existsSync(ctr.cwd) ? ctr.cwd : "/", timeoutMs });
  }

  execCommand(ctr: ContainerRecord, cmd: string[], tty: boolean): Launch {
    const env = envObject(ctr.env);
    if (tty) env.TERM = "xterm";
    return { argv: cmd, env, cwd: existsSync(ctr.cwd) ? ctr.cwd : "/" };
  }

  async stats(ctr: ContainerRecord): Promise<Usage> {
    const cpuMs = processCpuMs(ctr.pid);
    if (cpuMs === undefined) return { cpuNanos: 0, memoryWorkingSetBytes: 0 };
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${ctr.pid}/status`, "utf8"));
      return { cpuNanos: cpuMs * 1_000_000, memoryWorkingSetBytes: rss ? Number(rss[1]) * 1024 : 0 };
    } catch {
      return { cpuNanos: 0, memoryWorkingSetBytes: 0 };
    }
  }

  async removeContainer(): Promise<void> {}
}
