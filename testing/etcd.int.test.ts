import assert from "node:assert/strict";
import { test } from "node:test";
import { startEtcd } from "./etcd.js";

test("the test etcd starts, answers, survives a kill+restart with its data, and stops", async () => {
  const etcd = await startEtcd();
  try {
    const put = await fetch(`${etcd.endpoint}/v3/kv/put`, {
      method: "POST",
      body: JSON.stringify({
        key: Buffer.from("k").toString("base64"),
        value: Buffer.from("v").toString("base64"),
      }),
    });
    assert.equal(put.status, 200);
    await etcd.kill();
    await assert.rejects(fetch(`${etcd.endpoint}/health`));
    await etcd.restart();
    const range = await fetch(`${etcd.endpoint}/v3/kv/range`, {
      method: "POST",
      body: JSON.stringify({ key: Buffer.from("k").toString("base64") }),
    });
    const body = (await range.json()) as { kvs?: { value: string }[] };
    assert.equal(Buffer.from(body.kvs?.[0]?.value ?? "", "base64").toString(), "v");
  } finally {
    await etcd.stop();
  }
});
