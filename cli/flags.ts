// Flag parsing shared by every verb: Kubernetes-style long flags (--etcd-servers=x or --etcd-servers x).

import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "./command.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    // Node's own words for an unknown flag suggest "--" (meant for positionals); say kubectl's instead.
    const unknown = /^Unknown option '([^']+)'/.exec((err as Error).message);
    const message = unknown ? `unknown flag: ${unknown[1]}` : (err as Error).message.replace(/\.$/, "");
    throw new UsageError(`${message}. Run with --help to see the flags.`);
  }
}

export function intFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return n;
}

/** One JSON object per line on stderr: what every long-running component logs. */
export function jsonLogger(component: string) {
  return (line: Record<string, unknown>) => {
    process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), component, ...line })}\n`);
  };
}
