// Flag parsing for the kubectl-like verbs: the global connection flags plus the verb's own, with
// kubectl's boolean spelling (`--wait=false`, `--overwrite=true`) on top of parseFlags.

import { UsageError } from "./command.js";
import { parseFlags } from "./flags.js";
import { GLOBAL_OPTIONS, type GlobalFlags } from "./kube.js";

type Option = { type: "string" | "boolean"; short?: string; multiple?: boolean };
type Options = Record<string, Option>;

type Values<O extends Options> = {
  [K in keyof O]?: O[K] extends { type: "boolean" }
    ? boolean
    : O[K] extends { multiple: true }
      ? string[]
      : string;
};

export interface ParsedVerb<O extends Options> {
  flags: Values<O> & GlobalFlags;
  args: string[];
  /** Everything after `--` (exec's command). */
  rest: string[];
}

/** Parses argv; `--flag=true|false` works for boolean flags as in kubectl (Go's pflag). */
export function parseVerb<O extends Options>(argv: string[], options: O): ParsedVerb<O> {
  const all = { ...GLOBAL_OPTIONS, ...options } as Options;
  const dash = argv.indexOf("--");
  const head = dash >= 0 ? argv.slice(0, dash) : argv;
  const rest = dash >= 0 ? argv.slice(dash + 1) : [];
  const explicitFalse: string[] = [];
  const cleaned: string[] = [];
  for (const a of head) {
    const m = a.match(/^--([a-z0-9-]+)=(true|false)$/);
    if (m && all[m[1]!]?.type === "boolean") {
      if (m[2] === "true") cleaned.push(`--${m[1]}`);
      else explicitFalse.push(m[1]!);
    } else {
      cleaned.push(a);
    }
  }
  const { values, positionals } = parseFlags(cleaned, all as never, true);
  const flags = { ...(values as Record<string, unknown>) };
  for (const name of explicitFalse) flags[name] = false;
  return { flags: flags as Values<O> & GlobalFlags, args: positionals, rest };
}

/** `--replicas=3`, `--tail=10`: a whole number, or the fallback when absent. */
export function wholeNumber(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return n;
}

/** kubectl's durations: "30s", "5m", "1h", "0" (no limit), or a bare number of seconds. */
export function durationMs(name: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const m = value.match(/^(\d+(?:\.\d+)?)(ms|s|m|h)?$/);
  if (!m) throw new UsageError(`--${name} must be a duration like 30s, 5m or 1h, got "${value}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "s"]!;
  return Number(m[1]) * unit;
}

/**
 * kubectl's --dry-run: "client" decides and prints without writing (reads still happen, to say
 * what would change), "server" sends every write with dryRun=All so the server validates, admits
 * and answers it but stores nothing, "none" writes.
 */
export type DryRun = "none" | "client" | "server";

export function dryRunFlag(value: string | undefined): DryRun {
  if (value === undefined) return "none";
  if (value === "none" || value === "client" || value === "server") return value;
  throw new UsageError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

/** What kubectl appends to each line it prints under a dry run. */
export function dryRunSuffix(d: DryRun): string {
  return d === "client" ? " (dry run)" : d === "server" ? " (server dry run)" : "";
}

/** The `--dry-run` line of a verb's help. */
export const DRY_RUN_USAGE =
  "      --dry-run=client|server  print what would happen, change nothing (server: the server validates)";
