// bench/footprint: how long `k8ts up` takes to a Ready N-node cluster, and how much memory the whole
// cluster holds: every process it started and their children, etcd included, each as RSS (the
// issue's figure), private, PSS and shared (memory.ts says what each means), plus the distinct
// pages of the whole cluster. Baseline measured in the same run: an idle `node` process, the floor
// of any Node.js component, so the JSON shows how far the cluster is above N idle processes.
// Prints one JSON document. Flags: --nodes 3 --runtime runc|process --samples 5 --combined (measures
// `k8ts up --combined`: one control-plane process and one worker per node; the JSON's "mode" says which).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { K8TS_MAIN, run } from "../../testing/index.js";
import { commandLine, distinctKiB, type ProcessMemory, processMemory, withDescendants } from "./memory.js";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "3" },
    runtime: { type: "string" },
    samples: { type: "string", default: "5" },
    combined: { type: "boolean", default: false },
  },
});

const mib = (kib: number) => Math.round(kib / 1024);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

const NODE_BINARY = realpathSync(process.execPath);
function isNode(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/exe`) === NODE_BINARY;
  } catch {
    return false;
  }
}

/** The baseline: a `node` process that loaded nothing, idle, spawned the way `k8ts up` spawns. */
async function idleNode(): Promise<ProcessMemory> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" });
  try {
    await sleep(1500);
    const m = processMemory(child.pid!);
    if (!m) throw new Error("the idle node process exited");
    return m;
  } finally {
    child.kill("SIGKILL");
  }
}

interface Row {
  name: string;
  pid: number;
  /** For a child of a component (say, a container monitor of the runtime-shim). */
  command?: string;
  /** For a combined process: the components it hosts. */
  hosts?: string[];
  node: boolean;
  samples: ProcessMemory[];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-footprint-"));
  const dataDir = join(dir, "data");
  const args = ["up", "--data-dir", dataDir, "--nodes", values.nodes!, "--apiserver-port", "0"];
  if (values.runtime) args.push("--runtime", values.runtime);
  if (values.combined) args.push("--combined");
  try {
    const t0 = performance.now();
    const up = await run(process.execPath, [K8TS_MAIN, ...args], { timeoutMs: 180_000 });
    const seconds = (performance.now() - t0) / 1000;
    if (up.code !== 0) throw new Error(`k8ts up failed:\n${up.stdout}\n${up.stderr}`);
    const state = JSON.parse(readFileSync(join(dataDir, "cluster.json"), "utf8")) as {
      processes: { name: string; pid: number; components?: { name: string }[] }[];
    };
    // Let start-up work settle (caches filled, first heartbeats sent), then sample a few times:
    // RSS moves with garbage collection.
    await sleep(5000);
    const rows = new Map<number, Row>();
    const distinct: number[] = [];
    for (let i = 0; i < Number(values.samples); i++) {
      if (i > 0) await sleep(2000);
      const pids: number[] = [];
      for (const p of state.processes) {
        for (const pid of withDescendants([p.pid])) {
          const m = processMemory(pid);
          if (!m) continue;
          pids.push(pid);
          let row = rows.get(pid);
          if (!row) {
            row = {
              name: p.name,
              pid,
              ...(pid === p.pid ? {} : { command: commandLine(pid).slice(0, 120) }),
              ...(pid === p.pid && p.components ? { hosts: p.components.map((c) => c.name) } : {}),
              node: isNode(pid),
              samples: [],
            };
            rows.set(pid, row);
          }
          row.samples.push(m);
        }
      }
      const d = distinctKiB(pids);
      if (d !== undefined) distinct.push(d);
    }
    const processes = [...rows.values()].map((r) => {
      const of = (k: keyof ProcessMemory) => median(r.samples.map((s) => s[k]));
      return {
        name: r.name,
        pid: r.pid,
        ...(r.command ? { command: r.command } : {}),
        ...(r.hosts ? { hosts: r.hosts } : {}),
        rssMiB: mib(of("rssKiB")),
        privateMiB: mib(of("privateKiB")),
        pssMiB: mib(of("pssKiB")),
        sharedMiB: mib(of("sharedKiB")),
        kib: { rss: of("rssKiB"), private: of("privateKiB"), pss: of("pssKiB") },
        node: r.node,
      };
    });
    const sum = (k: "rss" | "private" | "pss", which = processes) => which.reduce((s, p) => s + p.kib[k], 0);
    const rssMiBByProcess: Record<string, number> = {};
    for (const p of processes) rssMiBByProcess[p.name] = (rssMiBByProcess[p.name] ?? 0) + p.rssMiB;
    const nodeProcesses = processes.filter((p) => p.node).length;
    const others = processes.filter((p) => !p.node);
    const idle = await idleNode();
    const floorKiB = nodeProcesses * idle.rssKiB + sum("rss", others);
    const result = {
      benchmark: "footprint",
      mode: values.combined ? "combined" : "separate",
      nodes: Number(values.nodes),
      upSecondsToReady: Math.round(seconds * 100) / 100,
      totalRssMiB: mib(sum("rss")),
      totalPrivateMiB: mib(sum("private")),
      totalPssMiB: mib(sum("pss")),
      ...(distinct.length ? { distinctMiB: mib(median(distinct)) } : {}),
      rssMiBByProcess,
      processes: processes.map(({ kib: _kib, ...p }) => p),
      baseline: {
        idleNodeRssMiB: mib(idle.rssKiB),
        idleNodePrivateMiB: mib(idle.privateKiB),
        nodeProcesses,
        /** Every Node.js process of the cluster as idle as an empty `node`, the rest as measured. */
        floorRssMiB: mib(floorKiB),
      },
      ratios: { rssOverFloor: Math.round((sum("rss") / floorKiB) * 100) / 100 },
      goal: { upSecondsBelow: 10, totalRssMiBBelow: 400 },
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await run(process.execPath, [K8TS_MAIN, "down", "--data-dir", dataDir], { timeoutMs: 120_000 });
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
