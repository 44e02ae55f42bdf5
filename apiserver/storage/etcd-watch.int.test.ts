// The lean etcd watch (etcd-watch.ts through EtcdStorage.watch) against a real etcd: events in
// order with create/update told apart, a start revision, messages larger than one HTTP/2 chunk,
// compaction, etcd killed and restarted while the watch is open, and a connection that goes silent.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { KubeObject } from "../../api/meta.js";
import { resourceFor } from "../../api/resources.js";
import { startEtcd, startTcpProxy, type TestEtcd, waitFor } from "../../testing/index.js";
import { EtcdStorage, type WatchHandlers } from "./etcd.js";
import { EtcdKv } from "./etcd-kv.js";
import { EtcdWatch } from "./etcd-watch.js";

const configmaps = resourceFor("", "configmaps")!;
const nodes = resourceFor("", "nodes")!;
const cm = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "w" },
  data,
});

/** Records what a watch reports, one line per event: "PUT+ ns/name rv" (created), "PUT ...", "DEL ...". */
function recorder() {
  const seen: string[] = [];
  const objects: KubeObject[] = [];
  const broken: Error[] = [];
  const h: WatchHandlers = {
    put: (obj, created, rv) => {
      seen.push(`${created ? "PUT+" : "PUT"} ${obj.metadata.namespace ?? ""}/${obj.metadata.name} ${rv}`);
      objects.push(obj);
    },
    delete: (ns, name, rv) => seen.push(`DEL ${ns ?? ""}/${name} ${rv}`),
    broken: (err) => broken.push(err),
  };
  return { seen, objects, broken, h };
}

describe("etcd watch", () => {
  let etcd: TestEtcd;
  let storage: EtcdStorage;
  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage([etcd.endpoint], "/wt", { requestTimeoutMs: 3000 });
  });
  after(async () => {
    storage?.close();
    await etcd?.stop();
  });

  test("every change in revision order, from the start revision, created told from updated", async () => {
    const a = await storage.create(configmaps, cm("a", { v: "1" }));
    const rvA = Number(a.metadata.resourceVersion);
    const b = await storage.update(configmaps, cm("a", { v: "2" }), rvA);
    const rvB = b.metadata.resourceVersion;
    const n = await storage.create(nodes, { apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
    await storage.delete(configmaps, b, Number(b.metadata.resourceVersion));
    const again = await storage.create(configmaps, cm("a", { v: "3" }));
    const last = Number(again.metadata.resourceVersion);

    const r = recorder();
    const stop = await storage.watch(configmaps, rvA + 1, r.h);
    const rn = recorder();
    const stopNodes = await storage.watch(nodes, 1, rn.h);
    try {
      await waitFor(() => r.seen.length === 3, { timeoutMs: 5000, what: "3 configmap events" });
      assert.deepEqual(r.seen, [`PUT w/a ${rvB}`, `DEL w/a ${last - 1}`, `PUT+ w/a ${last}`]);
      assert.deepEqual(r.objects.at(-1)?.data, { v: "3" });
      assert.equal(r.objects.at(-1)?.metadata.resourceVersion, String(last));
      await waitFor(() => rn.seen.length === 1, { timeoutMs: 5000, what: "the node event" });
      assert.deepEqual(rn.seen, [`PUT+ /n1 ${n.metadata.resourceVersion}`]);

      // Live events follow, including one far larger than an HTTP/2 data frame.
      const big = "x".repeat(300 * 1024);
      const live = await storage.create(configmaps, cm("big", { big }));
      const gone = await storage.create(nodes, { apiVersion: "v1", kind: "Node", metadata: { name: "n2" } });
      const deleted = await storage.delete(nodes, gone, Number(gone.metadata.resourceVersion));
      await waitFor(() => r.seen.length === 4 && rn.seen.length === 3, {
        timeoutMs: 5000,
        what: "live events",
      });
      assert.equal(r.seen[3], `PUT+ w/big ${live.metadata.resourceVersion}`);
      assert.equal((r.objects.at(-1)!.data as { big: string }).big.length, big.length);
      assert.equal(rn.seen[2], `DEL /n2 ${deleted.metadata.resourceVersion}`);
      assert.deepEqual(r.broken, []);
    } finally {
      await stop();
      await stopNodes();
    }
  });

  test("a start revision that was compacted away breaks the watch (the cache relists)", async () => {
    const first = await storage.create(configmaps, cm("old"));
    await storage.create(configmaps, cm("newer"));
    await etcd.compact();
    const r = recorder();
    const stop = await storage.watch(configmaps, Number(first.metadata.resourceVersion), r.h);
    try {
      await waitFor(() => r.broken.length === 1, { timeoutMs: 5000, what: "the watch to break" });
      assert.match(r.broken[0]!.message, /compacted/);
      assert.deepEqual(r.seen, []);
    } finally {
      await stop();
    }
  });

  test("a stopped watch reports nothing more", async () => {
    const r = recorder();
    const stop = await storage.watch(configmaps, (await storage.revision()) + 1, r.h);
    await stop();
    await storage.create(configmaps, cm("after-stop"));
    // A watch on the same range started after the write proves the event was there to see.
    const check = recorder();
    const stop2 = await storage.watch(configmaps, await storage.revision(), check.h);
    try {
      await waitFor(() => check.seen.length === 1, { timeoutMs: 5000, what: "the second watch's event" });
      assert.deepEqual(r.seen, []);
    } finally {
      await stop2();
    }
  });
});

test("etcd killed and restarted mid-watch: the watch resumes, no event lost or repeated", async () => {
  const etcd = await startEtcd();
  const storage = new EtcdStorage([etcd.endpoint], "/wr", { requestTimeoutMs: 3000 });
  const r = recorder();
  const stop = await storage.watch(configmaps, (await storage.revision()) + 1, r.h);
  try {
    const before = await storage.create(configmaps, cm("before"));
    await waitFor(() => r.seen.length === 1, { timeoutMs: 5000, what: "the first event" });
    await etcd.kill();
    await etcd.restart();
    const written: string[] = [`PUT+ w/before ${before.metadata.resourceVersion}`];
    await waitFor(
      async () => {
        try {
          const o = await storage.create(configmaps, cm("after"));
          written.push(`PUT+ w/after ${o.metadata.resourceVersion}`);
          return true;
        } catch {
          return false;
        }
      },
      { timeoutMs: 15_000, what: "a write after the restart" },
    );
    const cur = await storage.get(configmaps, "w", "before");
    const deleted = await storage.delete(configmaps, cur!, Number(cur!.metadata.resourceVersion));
    written.push(`DEL w/before ${deleted.metadata.resourceVersion}`);
    await waitFor(() => r.seen.length >= 3, { timeoutMs: 15_000, what: "the events after the restart" });
    assert.deepEqual(r.seen, written);
    assert.deepEqual(r.broken, []);
  } finally {
    await stop();
    storage.close();
    await etcd.stop();
  }
});

test("a connection that goes silent (frozen, no FIN) is dropped by the keepalive; the watch resumes on a new one, nothing lost", async () => {
  const etcd = await startEtcd();
  const proxy = await startTcpProxy(Number(new URL(etcd.endpoint).port));
  const writer = new EtcdStorage([etcd.endpoint], "/wk", { requestTimeoutMs: 3000 });
  const kv = new EtcdKv([`http://127.0.0.1:${proxy.port}`], 3000);
  const seen: string[] = [];
  const broken: Error[] = [];
  let w: EtcdWatch | undefined;
  try {
    w = await EtcdWatch.start(
      kv,
      { key: "/wk/configmaps/", rangeEnd: "/wk/configmaps0", startRevision: (await writer.revision()) + 1 },
      {
        events: (evs) => seen.push(...evs.map((e) => `${e.type} ${e.kv.key} ${e.kv.modRevision}`)),
        broken: (err) => broken.push(err),
      },
      { keepaliveMs: 200, keepaliveTimeoutMs: 300, retryMs: 50 },
    );
    const written: string[] = [];
    const create = async (name: string) => {
      const o = await writer.create(configmaps, cm(name));
      written.push(`PUT /wk/configmaps/w/${name} ${o.metadata.resourceVersion}`);
    };
    await create("one");
    await waitFor(() => seen.length === 1, { timeoutMs: 5000, what: "the first event" });
    // Idle but alive: etcd answers the progress requests, so the one connection is kept.
    const dialled = proxy.accepted;
    const idleUntil = Date.now() + 1500;
    await waitFor(() => Date.now() >= idleUntil, { timeoutMs: 5000, what: "1.5 s of silence" });
    assert.equal(proxy.accepted, dialled, "an idle, healthy watch connection is not redialled");

    proxy.freeze();
    await create("two");
    await create("three");
    await waitFor(() => seen.length >= 3, {
      timeoutMs: 10_000,
      what: "the events written while the connection was frozen",
    });
    assert.deepEqual(seen, written);
    assert.ok(proxy.accepted > dialled, "the watch dialled a new connection");
    assert.deepEqual(broken, []);
  } finally {
    w?.stop();
    kv.close();
    writer.close();
    await proxy.close();
    await etcd.stop();
  }
});
