// `k8ts <verb>`: one executable, many verbs (as k3s does). Each verb is one module in commands/,
// loaded on demand so a component's start-up pays only for what it uses.

import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "./command.js";

const commandsDir = fileURLToPath(new URL("./commands/", import.meta.url));

function verbs(): string[] {
  if (!existsSync(commandsDir)) return [];
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith(".js") && !f.endsWith(".test.js"))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function load(verb: string): Promise<Command | undefined> {
  if (!/^[a-z][a-z0-9-]*$/.test(verb) || !verbs().includes(verb)) return undefined;
  const mod = (await import(`./commands/${verb}.js`)) as { command: Command };
  return mod.command;
}

async function usage(out: NodeJS.WritableStream): Promise<void> {
  out.write("k8ts: a small Kubernetes-style orchestrator\n\nUsage: k8ts <verb> [flags]\n\nVerbs:\n");
  for (const v of verbs()) {
    const c = await load(v);
    if (c) out.write(`  ${v.padEnd(16)} ${c.summary}\n`);
  }
  out.write("\nRun `k8ts <verb> --help` for a verb's flags.\n");
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === "--help" || verb === "-h" || verb === "help") {
    await usage(process.stdout);
    return verb ? 0 : 1;
  }
  const cmd = await load(verb);
  if (!cmd) {
    process.stderr.write(`k8ts: unknown verb "${verb}". Run \`k8ts --help\` to see the verbs.\n`);
    return 1;
  }
  // Only flags before "--" ask for help: `k8ts exec p -- ls -h` runs ls.
  const own = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  if (own.includes("--help") || own.includes("-h")) {
    process.stdout.write(`k8ts ${verb}: ${cmd.summary}\n\n${cmd.usage}\n`);
    return 0;
  }
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    // Long-running verbs return a promise that settles only when they stop.
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`k8ts: ${err instanceof Error ? err.message : String(err)}\n`);
    // A verb that failed half-way may have opened sockets or timers; a failure must not hang.
    process.exit(1);
  },
);
