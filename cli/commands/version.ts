// `k8ts version`: this client's version and the API server's (GET /version).

import { readFileSync } from "node:fs";
import type { Command } from "../command.js";
import { reportError } from "../errors.js";
import { connect } from "../kube.js";
import { parseVerb } from "../verb-flags.js";

function clientVersion(): string {
  // dist/cli/commands/version.js → the repository's package.json
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return `v${pkg.version}`;
}

export const command: Command = {
  summary: "print the k8ts client version and the API server's version",
  usage: `Usage: k8ts version [--client]

Flags:
  --client   only the client version (no cluster needed)
  --context CTX  --kubeconfig FILE`,
  async run(argv) {
    const { flags } = parseVerb(argv, { client: { type: "boolean" } });
    process.stdout.write(`Client Version: ${clientVersion()} (k8ts)\n`);
    if (flags.client) return 0;
    try {
      const v = await connect(flags).client.request<{ gitVersion?: string }>("GET", "/version");
      process.stdout.write(`Server Version: ${v.gitVersion ?? "unknown"}\n`);
      return 0;
    } catch (err) {
      return reportError(err);
    }
  },
};
