// Flags the long-running components share (scheduler, controllers): Go-style durations,
// host:port addresses, the --leader-elect-* family with Kubernetes' names and defaults, and the
// run-until-stopped loop both wrap around their work (SIGTERM/SIGINT, a lost lease).

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { type LeaderCallbacks, LeaderElector, leaseApiFor, type RestClient } from "../client/index.js";
import { UsageError } from "./command.js";

/** A Go-style duration ("500ms", "40s", "1m30s") in milliseconds. */
export function durationFlag(flag: string, v: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== v) {
    throw new UsageError(`--${flag} must be a duration like 500ms, 40s or 1m30s, got "${v}"`);
  }
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * units[p[2]!]!, 0));
}

/** "127.0.0.1:10259" → ["127.0.0.1", 10259]; an empty host means every address. */
export function hostPortFlag(flag: string, addr: string): [string, number] {
  const m = /^\[?([^\]]*)\]?:(\d+)$/.exec(addr);
  if (!m) throw new UsageError(`--${flag} must be host:port, got "${addr}"`);
  return [m[1] || "0.0.0.0", Number(m[2])];
}

export function leaderElectionFlags(resourceName: string) {
  return {
    "leader-elect": { type: "boolean", default: false },
    "leader-elect-lease-duration": { type: "string", default: "15s" },
    "leader-elect-renew-deadline": { type: "string", default: "10s" },
    "leader-elect-retry-period": { type: "string", default: "2s" },
    "leader-elect-resource-name": { type: "string", default: resourceName },
    "leader-elect-resource-namespace": { type: "string", default: "kube-system" },
  } as const;
}

export function leaderElectionUsage(resourceName: string, what: string): string {
  return `  --leader-elect             ${what} only while holding the Lease (run several for failover)
  --leader-elect-lease-duration D     (default 15s)
  --leader-elect-renew-deadline D     (default 10s)
  --leader-elect-retry-period D       (default 2s)
  --leader-elect-resource-name N      (default ${resourceName})
  --leader-elect-resource-namespace N (default kube-system)`;
}

export interface LeaderElectionValues {
  "leader-elect": boolean;
  "leader-elect-lease-duration": string;
  "leader-elect-renew-deadline": string;
  "leader-elect-retry-period": string;
  "leader-elect-resource-name": string;
  "leader-elect-resource-namespace": string;
}

/**
 * The elector the flags ask for, or undefined without --leader-elect. The durations are checked
 * either way: a typo should not wait for the day it matters.
 */
export function leaderElectorFromFlags(
  values: LeaderElectionValues,
  client: RestClient,
  log: (line: Record<string, unknown>) => void,
  onStartedLeading: LeaderCallbacks["onStartedLeading"],
  identity = `${hostname()}_${randomUUID()}`,
): { elector: LeaderElector | undefined; identity: string } {
  const leaseDurationMs = durationFlag("leader-elect-lease-duration", values["leader-elect-lease-duration"]);
  const renewDeadlineMs = durationFlag("leader-elect-renew-deadline", values["leader-elect-renew-deadline"]);
  const retryPeriodMs = durationFlag("leader-elect-retry-period", values["leader-elect-retry-period"]);
  if (!values["leader-elect"]) return { elector: undefined, identity };
  const elector = new LeaderElector({
    api: leaseApiFor(client),
    lease: {
      name: values["leader-elect-resource-name"],
      namespace: values["leader-elect-resource-namespace"],
    },
    identity,
    leaseDurationMs,
    renewDeadlineMs,
    retryPeriodMs,
    callbacks: {
      onStartedLeading: (signal) => {
        log({ level: "info", msg: "became leader", identity });
        return onStartedLeading(signal);
      },
      onStoppedLeading: () => log({ level: "info", msg: "stopped leading", identity }),
      onNewLeader: (leader) => log({ level: "info", msg: "leader is", leader }),
    },
    onError: (err) => log({ level: "warn", msg: "leader election", err: String(err) }),
  });
  return { elector, identity };
}

/** Aborts on the first SIGTERM or SIGINT: how a supervisor (k8ts up, systemd) or Ctrl-C stops a component. */
export function stopOnSignals(): AbortSignal {
  const stop = new AbortController();
  process.once("SIGTERM", () => stop.abort());
  process.once("SIGINT", () => stop.abort());
  return stop.signal;
}

/**
 * Runs the component's work until `signal` aborts: directly, or with an elector only while it
 * holds the Lease (the elector calls `work` itself). Resolves to the exit code: 1 when the lease
 * was lost, because Kubernetes' scheduler and controller manager exit then rather than act on
 * stale state, and their supervisor starts a fresh candidate.
 */
export async function runUntilStopped(
  elector: LeaderElector | undefined,
  work: (signal: AbortSignal) => Promise<unknown>,
  signal: AbortSignal,
  log: (line: Record<string, unknown>) => void,
): Promise<number> {
  if (!elector) {
    await work(signal);
    return 0;
  }
  await elector.run(signal);
  if (signal.aborted) return 0;
  log({ level: "error", msg: "leader election lost; exiting" });
  return 1;
}
