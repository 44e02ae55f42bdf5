// etcd-wire's hand-written encoding checked against etcd's own rpc.proto (as shipped with the
// etcd3 package), read by protobufjs: what we send decodes to the intended request, and what etcd
// sends decodes to the intended values, 64-bit revisions included.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import protobuf from "protobufjs";
import {
  decodeRangeResponse,
  decodeTxnResponse,
  decodeWatchResponse,
  encodeRangeRequest,
  encodeTxnRequest,
  encodeWatchCreateRequest,
} from "./etcd-wire.js";

const require = createRequire(import.meta.url);
const protoDir = join(dirname(require.resolve("etcd3/package.json")), "proto");
const root = protobuf.loadSync(join(protoDir, "rpc.proto"));
const T = (name: string) => root.lookupType(`etcdserverpb.${name}`);
const plain = (type: protobuf.Type, bytes: Uint8Array) =>
  type.toObject(type.decode(bytes), {
    longs: String,
    enums: String,
    bytes: String,
    defaults: false,
    oneofs: true,
  });

test("a create transaction: the key must not exist, then put (with a 64-bit lease ID)", () => {
  const lease = "7587884137264514818"; // beyond 2^53, as etcd's lease IDs are
  const bytes = encodeTxnRequest({
    compare: [{ key: "/registry/pods/default/a", target: "Create", equals: 0 }],
    success: [{ put: { key: "/registry/pods/default/a", value: '{"x":"é"}', lease } }],
  });
  const got = plain(T("TxnRequest"), bytes);
  assert.deepEqual(got.compare, [
    {
      target: "Create",
      key: Buffer.from("/registry/pods/default/a").toString("base64"),
      createRevision: "0",
      targetUnion: "createRevision",
    },
  ]);
  const put = got.success[0].requestPut;
  assert.equal(got.success[0].request, "requestPut");
  assert.equal(Buffer.from(put.value, "base64").toString(), '{"x":"é"}');
  assert.equal(put.lease, lease);
  assert.equal(got.failure, undefined);
});

test("a compare-and-swap: mod revision equal, else read the key; deletes are delete ranges", () => {
  const bytes = encodeTxnRequest({
    compare: [{ key: "k", target: "Mod", equals: 9_007_199_254_740_000 }],
    success: [{ deleteRange: { key: "k" } }],
    failure: [{ range: { key: "k" } }],
  });
  const got = plain(T("TxnRequest"), bytes);
  assert.equal(got.compare[0].target, "Mod");
  assert.equal(got.compare[0].modRevision, "9007199254740000");
  assert.equal(got.success[0].request, "requestDeleteRange");
  assert.equal(Buffer.from(got.success[0].requestDeleteRange.key, "base64").toString(), "k");
  assert.equal(got.failure[0].request, "requestRange");
});

test("a range: key, end, limit and a revision to read at", () => {
  const got = plain(
    T("RangeRequest"),
    encodeRangeRequest({ key: "/a/", rangeEnd: "/a0", limit: 500, revision: 42 }),
  );
  assert.equal(Buffer.from(got.key, "base64").toString(), "/a/");
  assert.equal(Buffer.from(got.rangeEnd, "base64").toString(), "/a0");
  assert.equal(got.limit, "500");
  assert.equal(got.revision, "42");
  const single = plain(T("RangeRequest"), encodeRangeRequest({ key: "k" }));
  assert.equal(single.rangeEnd, undefined);
  assert.equal(single.limit, undefined);
});

test("replies: revision from the header, key values, more, and a failed transaction's read", () => {
  const kv = (key: string, mod: number, value: string) => ({
    key: Buffer.from(key),
    createRevision: 3,
    modRevision: mod,
    version: 1,
    value: Buffer.from(value),
    lease: "7587884137264514818",
  });
  const range = T("RangeResponse").encode(
    T("RangeResponse").fromObject({
      header: { clusterId: "1", memberId: "2", revision: "123456789012", raftTerm: "3" },
      kvs: [kv("/a/1", 5, '{"n":1}'), kv("/a/2", 7, "")],
      more: true,
      count: 10,
    }),
  );
  const r = decodeRangeResponse(range.finish());
  assert.equal(r.revision, 123_456_789_012);
  assert.equal(r.more, true);
  assert.deepEqual(
    r.kvs.map((k) => [k.key, k.modRevision, k.createRevision, k.value.toString()]),
    [
      ["/a/1", 5, 3, '{"n":1}'],
      ["/a/2", 7, 3, ""],
    ],
  );

  const txn = T("TxnResponse").encode(
    T("TxnResponse").fromObject({
      header: { revision: "77" },
      succeeded: false,
      responses: [{ responseRange: { header: { revision: "77" }, kvs: [kv("k", 70, "{}")] } }],
    }),
  );
  const t = decodeTxnResponse(txn.finish());
  assert.equal(t.succeeded, false);
  assert.equal(t.revision, 77);
  assert.equal(t.responses[0]?.range?.kvs[0]?.modRevision, 70);

  const ok = decodeTxnResponse(
    T("TxnResponse")
      .encode(
        T("TxnResponse").fromObject({
          header: { revision: "78" },
          succeeded: true,
          responses: [{ responsePut: { header: { revision: "78" } } }],
        }),
      )
      .finish(),
  );
  assert.equal(ok.succeeded, true);
  assert.equal(ok.revision, 78);
  assert.equal(ok.responses[0]?.range, undefined);
});

test("a watch: the create request asks for a range from a revision, without prev_kv", () => {
  const got = plain(
    T("WatchRequest"),
    encodeWatchCreateRequest({
      key: "/registry/pods/",
      rangeEnd: "/registry/pods0",
      startRevision: 123_456_789_012,
    }),
  );
  assert.deepEqual(got, {
    createRequest: {
      key: Buffer.from("/registry/pods/").toString("base64"),
      rangeEnd: Buffer.from("/registry/pods0").toString("base64"),
      startRevision: "123456789012",
    },
    requestUnion: "createRequest",
  });
});

test("watch replies: created, events with their type and revisions, compaction", () => {
  const W = T("WatchResponse");
  const created = decodeWatchResponse(
    W.encode(W.fromObject({ header: { revision: "9" }, watchId: "0", created: true })).finish(),
  );
  assert.equal(created.created, true);
  assert.equal(created.events.length, 0);
  const evs = decodeWatchResponse(
    W.encode(
      W.fromObject({
        header: { revision: "12" },
        watchId: "3",
        events: [
          {
            type: "PUT",
            kv: {
              key: Buffer.from("/a/x"),
              createRevision: "11",
              modRevision: "11",
              value: Buffer.from("{}"),
            },
          },
          { type: "Delete", kv: { key: Buffer.from("/a/y"), modRevision: "12" } },
        ],
      }),
    ).finish(),
  );
  assert.equal(evs.revision, 12);
  assert.deepEqual(
    evs.events.map((e) => [e.type, e.kv.key, e.kv.createRevision, e.kv.modRevision, e.kv.value.toString()]),
    [
      ["PUT", "/a/x", 11, 11, "{}"],
      ["DELETE", "/a/y", 0, 12, ""],
    ],
  );
  const compacted = decodeWatchResponse(
    W.encode(
      W.fromObject({ watchId: "3", canceled: true, compactRevision: "40", cancelReason: "x" }),
    ).finish(),
  );
  assert.deepEqual([compacted.canceled, compacted.compactRevision, compacted.cancelReason], [true, 40, "x"]);
});
