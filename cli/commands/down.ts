// `k8ts down`: stop the local cluster's processes.

import { down, resolveDataDir } from "../cluster/index.js";
import type { Command } from "../command.js";
import { parseFlags } from "../flags.js";

export const command: Command = {
  summary: "stop the local cluster started by `k8ts up`",
  usage: `Flags:
  --data-dir DIR   the cluster's data dir (default ~/.k8ts); its data is kept for the next \`k8ts up\``,
  async run(argv) {
    const { values } = parseFlags(argv, { "data-dir": { type: "string" } } as const);
    await down(resolveDataDir(values["data-dir"]), (line) => process.stdout.write(`  ${line}\n`));
    return 0;
  },
};
