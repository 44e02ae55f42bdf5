// `k8ts version`: this client's version and the API server's (GET /version).

import { readFileSync } from "node:fs";
import { type Command, UsageError } from "../command.js";
import { reportError } from "../errors.js";
import { connect } from "../kube.js";
import { formatDocument } from "../printers/object.js";
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
  usage: `Usage: k8ts version [--client] [-o json|yaml]

Flags:
  --client             only the client version (no cluster needed)
  -o, --output FORMAT  json or yaml: kubectl's {clientVersion, serverVersion} document
  --context CTX  --kubeconfig FILE`,
  async run(argv) {
    const { flags } = parseVerb(argv, {
      client: { type: "boolean" },
      output: { type: "string", short: "o" },
    });
    const output = flags.output;
    if (output !== undefined && output !== "json" && output !== "yaml")
      throw new UsageError("--output must be 'yaml' or 'json'");
    const client = { gitVersion: clientVersion(), platform: `${process.platform}/${process.arch}` };
    let server: { gitVersion?: string } | undefined;
    let code = 0;
    if (!flags.client) {
      try {
        server = await connect(flags).client.request<{ gitVersion?: string }>("GET", "/version");
      } catch (err) {
        code = reportError(err);
      }
    }
    if (output) {
      // kubectl prints what it has (the client's part even when the server did not answer).
      const doc = { clientVersion: client, ...(server ? { serverVersion: server } : {}) };
      process.stdout.write(
        output === "json" ? `${JSON.stringify(doc, null, 2)}\n` : formatDocument(doc, "yaml"),
      );
      return code;
    }
    process.stdout.write(`Client Version: ${client.gitVersion} (k8ts)\n`);
    if (server) process.stdout.write(`Server Version: ${server.gitVersion ?? "unknown"}\n`);
    return code;
  },
};
