// The API server as a process, started before its etcd: it waits instead of exiting.

import assert from "node:assert/strict";
import { test } from "node:test";
import { freePort, startEtcd, startK8ts, waitFor } from "../testing/index.js";

test("an API server started before etcd serves /healthz, says not ready, and becomes ready when etcd comes", async () => {
  const etcd = await startEtcd();
  await etcd.kill();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const api = startK8ts(["apiserver", "--etcd-servers", etcd.endpoint, "--port", String(port)]);
  try {
    await waitFor(async () => (await fetch(`${url}/healthz`)).ok, { timeoutMs: 15_000, what: "healthz" });
    assert.equal((await fetch(`${url}/readyz`)).status, 503);
    assert.ok(api.child.exitCode === null, "the API server must keep running while etcd is away");
    // A list at any freshness comes from the watch cache, which has nothing yet: not an empty list.
    const early = await fetch(`${url}/api/v1/namespaces?resourceVersion=0`);
    assert.equal(early.status, 503, await early.text());
    // So does a watch (it would start from the cache): a 503 Status, not an empty 200 stream.
    const watch = await fetch(`${url}/api/v1/namespaces?watch=true`);
    assert.equal(watch.status, 503, await watch.text());
    await etcd.restart();
    await waitFor(async () => (await fetch(`${url}/readyz`)).ok, {
      timeoutMs: 20_000,
      what: "readyz after etcd starts",
    });
    const ns = (await (await fetch(`${url}/api/v1/namespaces/default`)).json()) as {
      metadata: { name: string };
    };
    assert.equal(ns.metadata.name, "default");
    const cached = (await (await fetch(`${url}/api/v1/namespaces?resourceVersion=0`)).json()) as {
      items: { metadata: { name: string } }[];
    };
    assert.ok(cached.items.some((n) => n.metadata.name === "default"));
  } finally {
    await api.stop();
    await etcd.stop();
  }
});
