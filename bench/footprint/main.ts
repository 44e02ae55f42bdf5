// bench/footprint: how long `k8ts up` takes to a Ready N-node cluster, and how much memory the whole
// cluster holds (sum of RSS of every process it started and their children, etcd included).
// Prints one JSON document. Flags: --nodes 3 --runtime runc|process

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { K8TS_MAIN, run } from "../../testing/index.js";

const { values } = parseArgs({
  options: { nodes: { type: "string", default: "3" }, runtime: { type: "string" } },
});

function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Every descendant of the given roots, from /proc's parent links. */
function withDescendants(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      /* gone */
    }
  }
  const out = new Set<number>();
  const stack = [...roots];
  while (stack.length) {
    const p = stack.pop()!;
    if (out.has(p)) continue;
    out.add(p);
    stack.push(...(children.get(p) ?? []));
  }
  return [...out];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-footprint-"));
  const dataDir = join(dir, "data");
  const args = ["up", "--data-dir", dataDir, "--nodes", values.nodes!, "--apiserver-port", "0"];
  if (values.runtime) args.push("--runtime", values.runtime);
  try {
    const t0 = performance.now();
    const up = await run(process.execPath, [K8TS_MAIN, ...args], { timeoutMs: 180_000 });
    const seconds = (performance.now() - t0) / 1000;
    if (up.code !== 0) throw new Error(`k8ts up failed:\n${up.stdout}\n${up.stderr}`);
    // Let start-up work settle (caches filled, first heartbeats sent) before measuring memory.
    await new Promise((r) => setTimeout(r, 3000));
    const state = JSON.parse(readFileSync(join(dataDir, "cluster.json"), "utf8")) as {
      processes: { name: string; pid: number }[];
    };
    const byComponent: Record<string, number> = {};
    let total = 0;
    for (const p of state.processes) {
      const kib = withDescendants([p.pid]).reduce((s, pid) => s + rssKiB(pid), 0);
      byComponent[p.name] = Math.round(kib / 1024);
      total += kib;
    }
    const result = {
      benchmark: "footprint",
      nodes: Number(values.nodes),
      upSecondsToReady: Math.round(seconds * 100) / 100,
      totalRssMiB: Math.round(total / 1024),
      rssMiBByProcess: byComponent,
      goal: { upSecondsBelow: 10, totalRssMiBBelow: 400 },
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
