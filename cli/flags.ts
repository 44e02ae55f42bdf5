// Flag parsing shared by every verb: Kubernetes-style long flags (--etcd-servers=x or --etcd-servers x).

import { openSync, writeSync } from "node:fs";
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

/** Where a component's lines go: stderr by default, or its own file when it shares a process. */
export type LineWriter = (text: string) => void;

export const toStderr: LineWriter = (text) => void process.stderr.write(text);

/**
 * Appends to `path`, synchronously like stderr redirected to a file, so a line written just before
 * the process exits is not lost. The descriptor stays open for the life of the process.
 */
export function toFile(path: string): LineWriter {
  const fd = openSync(path, "a");
  return (text) => void writeSync(fd, text);
}

/** One JSON object per line (on stderr unless told otherwise): what every long-running component logs. */
export function jsonLogger(component: string, write: LineWriter = toStderr) {
  return (line: Record<string, unknown>) => {
    write(`${JSON.stringify({ ts: new Date().toISOString(), component, ...line })}\n`);
  };
}
