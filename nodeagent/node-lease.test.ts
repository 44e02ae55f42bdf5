import assert from "node:assert/strict";
import { test } from "node:test";
import type { Lease } from "../api/index.js";
import { FakeClock, RestClient } from "../client/index.js";
import { NodeLease } from "./node-lease.js";

/** An API server that holds one Lease: GET, POST and PUT on its URL, every write recorded. */
function leaseServer() {
  let stored: Lease | undefined;
  const writes: { method: string; spec: NonNullable<Lease["spec"]> }[] = [];
  const json = (code: number, body: unknown) =>
    new Response(JSON.stringify(body), { status: code, headers: { "content-type": "application/json" } });
  const fakeFetch = (async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    assert.match(String(url), /\/apis\/coordination\.k8s\.io\/v1\/namespaces\/kube-node-lease\/leases/);
    if (method === "GET") {
      return stored
        ? json(200, stored)
        : json(404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });
    }
    stored = JSON.parse(String(init.body)) as Lease;
    writes.push({ method, spec: stored.spec! });
    return json(method === "POST" ? 201 : 200, stored);
  }) as typeof fetch;
  const client = new RestClient({ server: "http://apiserver.test", fetch: fakeFetch });
  return { client, writes };
}

/** Starts the lease and returns once its first renewal is written and the next one is armed. */
async function started(durationSeconds?: number) {
  const clock = new FakeClock();
  const { client, writes } = leaseServer();
  const lease = new NodeLease({ client, nodeName: "node-1", clock, durationSeconds, log: () => {} });
  lease.start();
  await clock.blockUntilTimers(1);
  return { clock, writes, lease };
}

/** Moves the clock by `ms`; when that fires a renewal, waits until it is written and the next armed. */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  clock.advance(ms);
  await clock.blockUntilTimers(1);
}

test("the node lease is created at once and renewed every quarter of its duration", async () => {
  const { clock, writes, lease } = await started(8);
  try {
    assert.deepEqual(
      writes.map((w) => [w.method, w.spec.leaseDurationSeconds]),
      [["POST", 8]],
    );
    await advance(clock, 1999);
    assert.equal(writes.length, 1, "not renewed before a quarter of 8 s");
    await advance(clock, 1);
    await advance(clock, 2000);
    assert.deepEqual(
      writes.map((w) => [w.method, w.spec.leaseDurationSeconds]),
      [
        ["POST", 8],
        ["PUT", 8],
        ["PUT", 8],
      ],
    );
    assert.ok(writes[2]!.spec.renewTime! > writes[1]!.spec.renewTime!, "each renewal moves renewTime");
  } finally {
    lease.stop();
  }
});

test("by default the lease lasts 40 s and is renewed every 10 s, as the kubelet's", async () => {
  const { clock, writes, lease } = await started();
  try {
    assert.equal(writes[0]!.spec.leaseDurationSeconds, 40);
    await advance(clock, 9999);
    assert.equal(writes.length, 1);
    await advance(clock, 1);
    assert.equal(writes.length, 2);
  } finally {
    lease.stop();
  }
});
