// Which etcd `k8ts up` is about to run, and whether k8ts runs well on it. etcd 3.4 copies its
// whole buffer of uncommitted writes on every transaction, and every write the API server makes is
// a transaction (a compare on the key's revision), so on 3.4 each write cost etcd about 7 times a
// plain put and 2-5 times what 3.5 needs for it: a scheduler binding pods spent over half of etcd's
// CPU in that copy. Kubernetes 1.32 runs etcd 3.5; so does k8ts. Older versions still work,
// slower: a warning, not a refusal.

import { spawnSync } from "node:child_process";

export const RECOMMENDED_ETCD = "3.5.0";

/** The version in `etcd --version`'s output ("etcd Version: 3.5.16"), if it has one. */
export function parseEtcdVersion(output: string): string | undefined {
  return /^etcd Version: (\d+\.\d+\.\d+)/m.exec(output)?.[1];
}

/** Negative, zero or positive as a is older than, the same as or newer than b (x.y.z). */
function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

/** What to tell the user about this `etcd --version` output, if anything. */
export function etcdVersionWarning(output: string): string | undefined {
  const v = parseEtcdVersion(output);
  if (!v) return "could not tell etcd's version from `etcd --version`; k8ts expects etcd 3.5 or newer";
  if (compareVersions(v, RECOMMENDED_ETCD) >= 0) return undefined;
  return (
    `etcd ${v} is older than 3.5: every write costs it several times what 3.5 needs, so the cluster ` +
    "will be slower (install 3.5 with `sudo bash deploy/install-deps.sh` in the k8ts repository)"
  );
}

/** Runs `<binary> --version` and returns the warning for it, if any. */
export function checkEtcdVersion(binary: string): string | undefined {
  const r = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 10_000 });
  return etcdVersionWarning(`${r.stdout ?? ""}${r.stderr ?? ""}`);
}
