// How k8ts runs a single-member etcd on loopback: one place for `k8ts up` and the test harness.

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
}

export function etcdArgs(l: EtcdLayout): string[] {
  const client = `http://127.0.0.1:${l.clientPort}`;
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
  return args;
}
