// `k8ts controllers` as real processes: two candidates with --leader-elect, one active; the other
// takes over when the leader dies; /metrics and /healthz served.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Lease } from "../api/index.js";
import { RestClient } from "../client/index.js";
import { startTestApiServer, type TestCluster } from "../testing/apiserver.js";
import { type Daemon, startK8ts, waitFor } from "../testing/index.js";
import { LEASES, REPLICASETS } from "./context.js";
import { podsOf, replicaSet } from "./test-helpers.js";

let cluster: TestCluster;
let client: RestClient;
const daemons: Daemon[] = [];

before(async () => {
  cluster = await startTestApiServer();
  client = new RestClient({ server: cluster.url });
});
after(async () => {
  for (const d of daemons) await d.stop();
  await cluster?.stop();
});

function candidate(): Daemon {
  const d = startK8ts([
    "controllers",
    "--master",
    cluster.url,
    "--controllers",
    "replicaset,garbagecollector",
    "--metrics-bind-address",
    "127.0.0.1:0",
    "--leader-elect",
    "--leader-elect-lease-duration",
    "2s",
    "--leader-elect-renew-deadline",
    "1500ms",
    "--leader-elect-retry-period",
    "250ms",
  ]);
  daemons.push(d);
  return d;
}

async function metricsOf(d: Daemon): Promise<string> {
  const port = await waitFor(() => /serving \/metrics on [^:]+:(\d+)/.exec(d.output())?.[1], {
    what: "metrics port in the output",
  });
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

const leads = async (d: Daemon) => /^k8ts_controller_leader 1$/m.test(await metricsOf(d));

test("two candidates, one active; the other takes over within the lease duration when it dies", async () => {
  const a = candidate();
  const b = candidate();
  const leader = await waitFor(async () => ((await leads(a)) ? a : (await leads(b)) ? b : undefined), {
    timeoutMs: 20_000,
    what: "a leader",
  });
  const follower = leader === a ? b : a;
  assert.equal(await leads(follower), false, "only one runs the controllers");
  const lease = await client.get<Lease>(LEASES, "kube-controller-manager", { namespace: "kube-system" });
  assert.ok(lease.spec?.holderIdentity);

  await client.create(REPLICASETS, replicaSet("le-one", 2));
  await waitFor(async () => (await podsOf(client, "default", "app=le-one")).length === 2, {
    timeoutMs: 15_000,
    what: "the leader's ReplicaSet controller creates pods",
  });
  const metrics = await waitFor(
    async () => {
      const text = await metricsOf(leader);
      return (
        /k8ts_controller_reconcile_total\{controller="replicaset",result="success"\} [1-9]/.test(text) && text
      );
    },
    { what: "successful replicaset reconciles counted" },
  );
  assert.match(metrics, /k8ts_workqueue_depth\{name="replicaset"\}/);
  const port = /serving \/metrics on [^:]+:(\d+)/.exec(leader.output())?.[1];
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);

  // A crash, not a clean exit: the lease is not released and must expire.
  const killedAt = Date.now();
  process.kill(-leader.child.pid!, "SIGKILL");
  await waitFor(() => leads(follower), {
    timeoutMs: 10_000,
    intervalMs: 50,
    what: "the follower to take over",
  });
  const failoverMs = Date.now() - killedAt;
  // Lease 2 s, retry 250 ms; the slack is for a loaded machine, not for the protocol.
  assert.ok(failoverMs < 2000 + 3000, `took over in ${failoverMs} ms`);

  await client.create(REPLICASETS, replicaSet("le-two", 1));
  await waitFor(async () => (await podsOf(client, "default", "app=le-two")).length === 1, {
    timeoutMs: 15_000,
    what: "the new leader reconciles",
  });
});
