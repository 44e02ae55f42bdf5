// How k8ts runs a single-member etcd on loopback: one place for `k8ts up` and the test harness.

import { availableParallelism } from "node:os";

export interface EtcdLayout {
  name: string;
  dataDir: string;
  clientPort: number;
  peerPort: number;
  /** Skip fsync: for throwaway test clusters only. */
  unsafeNoFsync?: boolean;
  logLevel?: "error" | "warn" | "info";
  /**
   * Committed writes between snapshots (etcd 3.4's default is 100000). etcd keeps the raft log
   * since the last snapshot in memory, so this bounds how its RSS grows with the writes.
   */
  snapshotCount?: number;
  /** Serve clients over TLS with this certificate and key (PEM files); the peer URL stays plain. */
  tls?: { certFile: string; keyFile: string };
}

export function etcdArgs(l: EtcdLayout): string[] {
  const client = `${l.tls ? "https" : "http"}://127.0.0.1:${l.clientPort}`;
  const peer = `http://127.0.0.1:${l.peerPort}`;
  const args = [
    `--name=${l.name}`,
    `--data-dir=${l.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=${l.name}=${peer}`,
    `--log-level=${l.logLevel ?? "warn"}`,
    "--logger=zap",
  ];
  if (l.unsafeNoFsync) args.push("--unsafe-no-fsync");
  if (l.snapshotCount !== undefined) args.push(`--snapshot-count=${l.snapshotCount}`);
  if (l.tls) args.push(`--cert-file=${l.tls.certFile}`, `--key-file=${l.tls.keyFile}`);
  return args;
}

/**
 * etcd's environment: the caller's, with GOMAXPROCS at half the cores (at least 1) unless the caller
 * set it. etcd shares the machine with the API server, scheduler, controllers and node agents. Each
 * write crosses several goroutines (gRPC handler, raft loop, apply, watch sender), and on every
 * hand-off Go wakes an idle processor that spins looking for work; when writes arrive one by one
 * (a scheduler binding at a few hundred pods a second) that spinning is a large part of etcd's CPU.
 * Measured on 2 cores (etcd 3.4): GOMAXPROCS=1 cost 20-30 % less etcd CPU per write, from single
 * paced writes to saturated puts, and the saturated put rate did not drop. Checked again on etcd
 * 3.5.16 (bench/scheduler, runs interleaved): 0.30 ms of etcd CPU per scheduled pod against
 * 0.34-0.36 with GOMAXPROCS=2, at the same pod and raw put rates.
 */
export function etcdEnv(
  env: NodeJS.ProcessEnv = process.env,
  cores: number = availableParallelism(),
): NodeJS.ProcessEnv {
  if (env.GOMAXPROCS) return env;
  return { ...env, GOMAXPROCS: String(Math.max(1, Math.floor(cores / 2))) };
}
