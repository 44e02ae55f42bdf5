// The API server on an etcd that serves clients over TLS, as processes: the certificate's CA is
// trusted through NODE_EXTRA_CA_CERTS, the way a user points k8ts at such an etcd. Every path to
// etcd goes over TLS: unary calls and the watch stream (the lean HTTP/2 client), and lease grants
// for expiring Events (the etcd3 client).

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  freePort,
  makeServerCerts,
  openWatchEvents,
  postObject,
  startEtcd,
  startK8ts,
  waitFor,
  waitHttpOk,
} from "../testing/index.js";

test("an etcd serving TLS: the API server stores, reads, watches and writes expiring Events through it", async () => {
  const certs = makeServerCerts();
  const etcd = await startEtcd({ tls: certs });
  const port = await freePort();
  const api = startK8ts(["apiserver", "--etcd-servers", etcd.endpoint, "--port", String(port)], {
    ...process.env,
    NODE_EXTRA_CA_CERTS: certs.caFile,
  });
  const url = `http://127.0.0.1:${port}`;
  let watch: Awaited<ReturnType<typeof openWatchEvents>> | undefined;
  try {
    assert.match(etcd.endpoint, /^https:/);
    const plain = await fetch(`${etcd.endpoint.replace("https:", "http:")}/health`).catch((e) => e as Error);
    assert.ok(plain instanceof Error || plain.status !== 200, "etcd answers plain HTTP: TLS is not on");

    await waitHttpOk(`${url}/readyz`, 20_000).catch((err) => {
      throw new Error(`${err}\n${api.output()}`);
    });
    const cms = `${url}/api/v1/namespaces/default/configmaps`;
    const listed = (await (await fetch(cms)).json()) as any;
    watch = await openWatchEvents(`${cms}?watch=true&resourceVersion=${listed.metadata.resourceVersion}`);
    await postObject(cms, { metadata: { name: "over-tls" }, data: { k: "v" } });
    await waitFor(
      () => watch!.events.some((e) => e.type === "ADDED" && e.object.metadata.name === "over-tls"),
      {
        what: "the watch to see the ConfigMap",
      },
    );
    const got = (await (await fetch(`${cms}/over-tls`)).json()) as any;
    assert.deepEqual(got.data, { k: "v" });
    const ev = await postObject(`${url}/api/v1/namespaces/default/events`, {
      metadata: { name: "over-tls.1" },
      involvedObject: { kind: "ConfigMap", namespace: "default", name: "over-tls" },
      reason: "Checked",
      message: "stored through TLS",
      type: "Normal",
    });
    assert.equal(ev.metadata.name, "over-tls.1");
  } finally {
    watch?.close();
    await api.stop();
    await etcd.stop();
    certs.remove();
  }
});
