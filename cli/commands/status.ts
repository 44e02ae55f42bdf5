// `k8ts status`: the local cluster's processes and whether its API answers.

import { resolveDataDir, status } from "../cluster/index.js";
import type { Command } from "../command.js";
import { parseFlags } from "../flags.js";

export const command: Command = {
  summary:
    "show the processes of the local cluster (and the components each hosts) and whether its API answers",
  usage: `Flags:
  --data-dir DIR   the cluster's data dir (default ~/.k8ts)`,
  async run(argv) {
    const { values } = parseFlags(argv, { "data-dir": { type: "string" } } as const);
    const dataDir = resolveDataDir(values["data-dir"]);
    const s = await status(dataDir);
    if (s.rows.length === 0) {
      process.stdout.write(`no cluster is running from ${dataDir}: start one with \`k8ts up\`\n`);
      return 1;
    }
    // A combined cluster lists each process, then the components it hosts, indented, with their logs.
    const hosted = s.rows.flatMap((r) => r.components ?? []).map((c) => `  ${c.name}`);
    const w = Math.max(9, ...s.rows.map((r) => r.name.length), ...hosted.map((h) => h.length)) + 2;
    const pw = Math.max(3, ...s.rows.map((r) => String(r.pid).length)) + 2;
    const heading = s.mode === "combined" ? "PROCESS" : "COMPONENT";
    process.stdout.write(`${heading.padEnd(w)}${"PID".padEnd(pw)}${"STATE".padEnd(10)}LOG\n`);
    for (const r of s.rows) {
      process.stdout.write(`${r.name.padEnd(w)}${String(r.pid).padEnd(pw)}${r.state.padEnd(10)}${r.log}\n`);
      for (const c of r.components ?? [])
        process.stdout.write(`${`  ${c.name}`.padEnd(w + pw + 10)}${c.log}\n`);
    }
    if (s.mode === "combined") {
      process.stdout.write(
        "\nCombined: one process for the control plane, one per node (k8ts up --combined)\n",
      );
    }
    process.stdout.write(`\nAPI server ${s.apiserverUrl}: ${s.apiReady ? "ready" : "not answering"}\n`);
    if (s.podNetwork) {
      const perNode = s.podNetwork.replace(/\.0\.0\/16$/, ".N.0/24");
      process.stdout.write(`Pod network ${s.podNetwork} (node-N's pods: ${perNode})\n`);
    }
    return s.apiReady && s.rows.every((r) => r.state === "running") ? 0 : 1;
  },
};
