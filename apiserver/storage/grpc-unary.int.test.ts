// Unary calls on our HTTP/2 client against a real etcd, where flow control is not scripted: a
// Range reply larger than our stream window (the client must grant more as it reads), request
// bodies far beyond etcd's 64 KiB initial windows, one beyond what etcd accepts, and many calls
// in flight on one connection, and a connection that goes silent.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEtcd, startTcpProxy, type TestEtcd } from "../../testing/index.js";
import { EtcdKv } from "./etcd-kv.js";
import type { GrpcError } from "./grpc-unary.js";
import { STREAM_WINDOW } from "./h2-connection.js";

let etcd: TestEtcd;
let kv: EtcdKv;
before(async () => {
  etcd = await startEtcd();
  kv = new EtcdKv([etcd.endpoint], 30_000);
});
after(async () => {
  kv?.close();
  await etcd?.stop();
});

const put = (key: string, value: string) => kv.txn({ compare: [], success: [{ put: { key, value } }] });

test("1.4 MiB request bodies go through etcd's windows; a Range reply above our stream window comes back whole", async () => {
  // etcd takes requests up to 1.5 MiB by default.
  const value = (i: number) => String.fromCharCode(97 + i).repeat(1400 * 1024);
  const count = Math.ceil(STREAM_WINDOW / (1400 * 1024)) + 1;
  for (let i = 0; i < count; i++) await put(`/big/${String(i).padStart(2, "0")}`, value(i));
  const res = await kv.range({ key: "/big/", rangeEnd: "/big0" });
  assert.equal(res.kvs.length, count);
  const total = res.kvs.reduce((n, kvp) => n + kvp.value.length, 0);
  assert.ok(total > STREAM_WINDOW, `a reply of ${total} bytes`);
  for (const [i, kvp] of res.kvs.entries()) assert.ok(kvp.value.equals(Buffer.from(value(i))), `value ${i}`);
});

test("a 3 MiB request body is refused by etcd with its status, and the connection serves the next call", async () => {
  await assert.rejects(put("/huge", "x".repeat(3 * 1024 * 1024)), (e: GrpcError) => {
    // grpc-go's limit is etcd's --max-request-bytes (1.5 MiB) plus 512 KiB.
    assert.equal(e.code, 8);
    assert.match(e.details, /received message larger than max/);
    return true;
  });
  await put("/after", "v");
  assert.equal((await kv.range({ key: "/after" })).kvs[0]?.value.toString(), "v");
});

test("200 calls in flight at once all complete", async () => {
  const keys = Array.from({ length: 200 }, (_, i) => `/many/${i}`);
  await Promise.all(keys.map((k) => put(k, k)));
  const got = await Promise.all(keys.map((k) => kv.range({ key: k })));
  assert.deepEqual(
    got.map((r) => r.kvs[0]?.value.toString()),
    keys,
  );
});

test("a silent connection (frozen, no FIN): the call passes its deadline, the next call dials a new connection", async () => {
  await put("/silent", "v");
  const proxy = await startTcpProxy(Number(new URL(etcd.endpoint).port));
  const viaProxy = new EtcdKv([`http://127.0.0.1:${proxy.port}`], 500);
  try {
    await viaProxy.range({ key: "/silent" });
    assert.equal(proxy.accepted, 1);
    proxy.freeze();
    await assert.rejects(viaProxy.range({ key: "/silent" }), (e: GrpcError) => e.code === 4);
    const res = await viaProxy.range({ key: "/silent" });
    assert.equal(res.kvs[0]?.value.toString(), "v");
    assert.equal(proxy.accepted, 2);
  } finally {
    viaProxy.close();
    await proxy.close();
  }
});
