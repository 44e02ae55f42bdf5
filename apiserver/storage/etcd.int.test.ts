// EtcdStorage and its KV client against a real etcd: the compare-and-swap outcomes, large
// lists, compaction, and an unreachable etcd.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { resourceFor } from "../../api/resources.js";
import { startEtcd, type TestEtcd, waitFor } from "../../testing/index.js";
import { type ApiError, StorageUnavailableError } from "../errors.js";
import { EtcdStorage } from "./etcd.js";
import { EtcdKv } from "./etcd-kv.js";
import type { GrpcError } from "./grpc-unary.js";

const configmaps = resourceFor("", "configmaps")!;
const cm = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "s" },
  data,
});

describe("etcd storage", () => {
  let etcd: TestEtcd;
  let storage: EtcdStorage;
  before(async () => {
    etcd = await startEtcd();
    storage = new EtcdStorage([etcd.endpoint], "/st", { requestTimeoutMs: 3000 });
  });
  after(async () => {
    storage?.close();
    await etcd?.stop();
  });

  test("create, conflicting create, update at the read version, stale update, delete", async () => {
    const a = await storage.create(configmaps, cm("a", { v: "1" }));
    const rv = Number(a.metadata.resourceVersion);
    assert.ok(rv > 0);
    await assert.rejects(storage.create(configmaps, cm("a")), (e: ApiError) => e.code === 409);
    const b = await storage.update(configmaps, cm("a", { v: "2" }), rv);
    assert.ok(Number(b.metadata.resourceVersion) > rv);
    await assert.rejects(
      storage.update(configmaps, cm("a", { v: "3" }), rv),
      (e: ApiError) => e.reason === "Conflict",
    );
    const got = await storage.get(configmaps, "s", "a");
    assert.deepEqual(got?.data, { v: "2" });
    assert.equal(got?.metadata.resourceVersion, b.metadata.resourceVersion);
    await storage.delete(configmaps, got!, Number(got!.metadata.resourceVersion));
    assert.equal(await storage.get(configmaps, "s", "a"), undefined);
    await assert.rejects(storage.delete(configmaps, got!, 1), (e: ApiError) => e.reason === "NotFound");
  });

  test("an update that needs another object to exist: done while it does, Conflict for a stale version, NotFound for it once gone", async () => {
    const nodes = resourceFor("", "nodes")!;
    const node = await storage.create(nodes, { apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
    const whileN1 = { r: nodes, name: "n1" };
    const update = (v: string, rv: string | undefined) =>
      storage.update(configmaps, cm("needs-n1", { v }), Number(rv), { whileExists: whileN1 });
    const a = await storage.create(configmaps, cm("needs-n1", { v: "1" }));
    const b = await update("2", a.metadata.resourceVersion);
    await assert.rejects(update("3", a.metadata.resourceVersion), (e: ApiError) => e.reason === "Conflict");
    await storage.delete(nodes, node, Number(node.metadata.resourceVersion));
    await assert.rejects(
      update("3", b.metadata.resourceVersion),
      (e: ApiError) => e.code === 404 && e.message === 'nodes "n1" not found',
    );
    const got = await storage.get(configmaps, "s", "needs-n1");
    assert.deepEqual(got?.data, { v: "2" }, "nothing written without the node");
  });

  test("a list larger than gRPC's 4 MiB default message comes back whole", async () => {
    const big = "x".repeat(900 * 1024);
    for (let i = 0; i < 6; i++) await storage.create(configmaps, cm(`big-${i}`, { big }));
    const page = await storage.list(configmaps, { namespace: "s" });
    assert.equal(page.items.filter((o) => o.metadata.name?.startsWith("big-")).length, 6);
    assert.equal(page.items[0]?.data && (page.items[0].data as { big: string }).big.length, big.length);
  });

  test("a continued list after compaction is 410 Expired", async () => {
    for (let i = 0; i < 3; i++) await storage.create(configmaps, cm(`page-${i}`));
    const first = await storage.list(configmaps, { namespace: "s", limit: 1 });
    assert.ok(first.continueToken);
    for (let i = 0; i < 3; i++) await storage.create(configmaps, cm(`later-${i}`));
    await etcd.compact();
    await assert.rejects(
      storage.list(configmaps, { namespace: "s", limit: 1, continueToken: first.continueToken }),
      (e: ApiError) => e.code === 410,
    );
  });
});

test("an unreachable etcd fails fast as StorageUnavailable, and the client recovers", async () => {
  const etcd = await startEtcd();
  const storage = new EtcdStorage([etcd.endpoint], "/st", { requestTimeoutMs: 3000 });
  try {
    await storage.create(configmaps, cm("before"));
    await etcd.kill();
    const t0 = Date.now();
    await assert.rejects(storage.get(configmaps, "s", "before"), (e: Error) => {
      assert.ok(e instanceof StorageUnavailableError, String(e));
      return true;
    });
    assert.ok(Date.now() - t0 < 2500, `took ${Date.now() - t0} ms`);
    await etcd.restart();
    await waitFor(
      async () =>
        (await storage.get(configmaps, "s", "before").catch(() => undefined))?.metadata.name === "before",
      { timeoutMs: 15_000, what: "a read after etcd restarts" },
    );
  } finally {
    storage.close();
    await etcd.stop();
  }
});

test("a server's error status keeps its code and message", async () => {
  const etcd = await startEtcd();
  const kv = new EtcdKv([etcd.endpoint]);
  try {
    // etcd refuses an empty key: INVALID_ARGUMENT (3) "etcdserver: key is not provided".
    await assert.rejects(kv.range({ key: "" }), (e: GrpcError) => {
      assert.equal(e.code, 3);
      assert.match(e.message, /key is not provided/);
      return true;
    });
  } finally {
    kv.close();
    await etcd.stop();
  }
});
