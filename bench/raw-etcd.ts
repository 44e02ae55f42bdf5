// The benches' ceiling: raw etcd puts of the same values at the same concurrency, through either
// of two clients: the etcd3 package, and the lean KV client the API server itself uses (so the
// ceiling is not lowered by a slow client; a bench judges against the faster). Each run is timed
// after untimed warm-up puts: measured cold, a client's first puts ran 15-50% slower than later
// ones (its connection, and the JIT of its code).

import { Etcd3 } from "etcd3";
import { EtcdKv } from "../apiserver/storage/etcd-kv.js";
import { runPool } from "./pool.js";

export type RawClient = "etcd3" | "lean";

/** Untimed puts before the timed ones. */
export const RAW_WARM_UP_PUTS = 2000;

/**
 * `total` puts of `value(i)` at concurrency `conc` through `client`, after the warm-up: the timed
 * run (seconds, sorted latencies) and what `meter` saw (started before it, read after it). The
 * keys (under /baseline/<client>/) are deleted afterwards.
 */
export async function rawPuts<M>(
  endpoint: string,
  client: RawClient,
  total: number,
  conc: number,
  value: (i: number) => string,
  meter: () => () => M,
): Promise<{ seconds: number; latencies: number[]; measured: M }> {
  const etcd3 = new Etcd3({ hosts: endpoint });
  const kv = client === "lean" ? new EtcdKv([endpoint]) : undefined;
  const put = (key: string, v: string): Promise<unknown> =>
    kv ? kv.txn({ compare: [], success: [{ put: { key, value: v } }] }) : etcd3.put(key).value(v).exec();
  const prefix = `/baseline/${client}/`;
  try {
    await runPool(Math.min(total, RAW_WARM_UP_PUTS), conc, async (i) => {
      await put(`${prefix}warm-up/${i}`, value(i));
    });
    const read = meter();
    const run = await runPool(total, conc, async (i) => {
      await put(`${prefix}timed/${i}`, value(i));
    });
    const measured = read();
    await etcd3.delete().prefix(prefix);
    return { ...run, measured };
  } finally {
    kv?.close();
    etcd3.close();
  }
}
