// The client against the real API server on a real etcd: REST verbs and errors, an informer that
// survives losing its connection, and leader election on a real Lease.

import assert from "node:assert/strict";
import { createServer, Socket } from "node:net";
import { after, before, test } from "node:test";
import { type ConfigMap, type Lease, RESOURCES } from "../api/index.js";
import { startTestApiServer, type TestCluster } from "../testing/apiserver.js";
import { freePort, startK8ts, waitFor, waitHttpOk } from "../testing/index.js";
import {
  Informer,
  isAlreadyExists,
  isConflict,
  isNetworkError,
  isNotFound,
  LeaderElector,
  type LeaseApi,
  leaseApiFor,
  listerWatcherFor,
  parseMicroTime,
  RestClient,
} from "./index.js";

const res = (plural: string) => RESOURCES.find((r) => r.plural === plural)!;
const CONFIGMAPS = res("configmaps");
const LEASES = res("leases");

let cluster: TestCluster;
let api: RestClient;

before(async () => {
  cluster = await startTestApiServer();
  api = new RestClient({ server: cluster.url });
});
after(async () => {
  await cluster?.stop();
});

const cm = (name: string, data: Record<string, string>, labels: Record<string, string> = {}): ConfigMap => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default", labels },
  data,
});

/**
 * A TCP relay in front of the API server that the test can cut and restore: the way to make the
 * server unreachable for one client while others keep writing.
 */
async function relay(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let open = true;
  const server = createServer((inbound) => {
    if (!open) return inbound.destroy();
    const outbound = new Socket();
    outbound.connect(Number(port), hostname);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    inbound.pipe(outbound).pipe(inbound);
    inbound.on("close", () => outbound.destroy());
    outbound.on("close", () => inbound.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const namesBy = (i: Informer<ConfigMap>, app: string) =>
  i.store
    .byIndex("app", app)
    .map((o) => o.metadata.name)
    .sort();

/** An informer on the configmaps of one test suite (by label), through `server`, recording what it tells. */
function configMapInformer(server: string, suite: string) {
  const events: string[] = [];
  const errors: unknown[] = [];
  let lists = 0;
  const lw = listerWatcherFor<ConfigMap>(new RestClient({ server, timeoutMs: 2000 }), CONFIGMAPS, {
    namespace: "default",
    labelSelector: `suite=${suite}`,
  });
  const informer = new Informer<ConfigMap>({
    name: "configmaps",
    listerWatcher: {
      list: (opts) => {
        lists++;
        return lw.list(opts);
      },
      watch: lw.watch,
    },
    onError: (e) => errors.push(e),
    indexers: { app: (o) => (o.metadata.labels?.app ? [o.metadata.labels.app] : []) },
    backoff: { initialMs: 50, maxMs: 400 },
  });
  informer.addEventHandler({
    onAdd: (o, initial) => events.push(`add ${o.metadata.name}${initial ? " (list)" : ""}`),
    onUpdate: (a, b) => {
      if (a.metadata.resourceVersion !== b.metadata.resourceVersion) events.push(`update ${b.metadata.name}`);
    },
    onDelete: (o, unknown) =>
      events.push(`delete ${o.metadata.name}${unknown ? " (final state unknown)" : ""}`),
  });
  return { informer, events, errors, lists: () => lists };
}

test("REST verbs round-trip through the real API server, with Kubernetes' errors", async () => {
  const created = await api.create(CONFIGMAPS, cm("rest-a", { k: "1" }, { app: "web" }));
  assert.ok(created.metadata.uid && created.metadata.resourceVersion);
  const dup = await api.create(CONFIGMAPS, cm("rest-a", {})).catch((e) => e);
  assert.equal(isAlreadyExists(dup), true, String(dup));

  const updated = await api.update(CONFIGMAPS, { ...created, data: { k: "2" } });
  assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);
  const stale = await api.update(CONFIGMAPS, { ...created, data: { k: "3" } }).catch((e) => e);
  assert.equal(isConflict(stale), true, "a write from a stale resourceVersion is refused");

  const patched = await api.patch<ConfigMap>(
    CONFIGMAPS,
    "rest-a",
    "merge",
    { data: { extra: "x" } },
    {
      namespace: "default",
    },
  );
  assert.deepEqual(patched.data, { k: "2", extra: "x" });
  const strategic = await api.patch<ConfigMap>(
    CONFIGMAPS,
    "rest-a",
    "strategic",
    { metadata: { labels: { tier: "t" } } },
    {
      namespace: "default",
    },
  );
  assert.deepEqual(strategic.metadata.labels, { app: "web", tier: "t" });
  const jsonPatched = await api.patch<ConfigMap>(
    CONFIGMAPS,
    "rest-a",
    "json",
    [{ op: "remove", path: "/data/extra" }],
    {
      namespace: "default",
    },
  );
  assert.deepEqual(jsonPatched.data, { k: "2" });

  await api.create(CONFIGMAPS, cm("rest-b", {}, { app: "db" }));
  const web = await api.listAll(CONFIGMAPS, { namespace: "default", labelSelector: "app=web", limit: 1 });
  assert.deepEqual(
    web.items.map((i) => i.metadata.name),
    ["rest-a"],
  );
  const paged = await api.listAll(CONFIGMAPS, { namespace: "default", labelSelector: "app", limit: 1 });
  assert.deepEqual(paged.items.map((i) => i.metadata.name).sort(), ["rest-a", "rest-b"]);

  await api.delete(CONFIGMAPS, "rest-a", { namespace: "default" });
  assert.equal(
    isNotFound(await api.get(CONFIGMAPS, "rest-a", { namespace: "default" }).catch((e) => e)),
    true,
  );
});

test("watch from a resourceVersion sees exactly the later changes", async () => {
  const start = await api.list(CONFIGMAPS, { namespace: "default" });
  const abort = new AbortController();
  const seen: string[] = [];
  const watching = (async () => {
    for await (const ev of api.watch<ConfigMap>(CONFIGMAPS, {
      namespace: "default",
      resourceVersion: start.metadata.resourceVersion,
      signal: abort.signal,
    })) {
      if (ev.type !== "ERROR" && ev.type !== "BOOKMARK") seen.push(`${ev.type} ${ev.object.metadata.name}`);
    }
  })();
  await api.create(CONFIGMAPS, cm("watch-a", {}));
  await api.patch(CONFIGMAPS, "watch-a", "merge", { data: { a: "1" } }, { namespace: "default" });
  await api.delete(CONFIGMAPS, "watch-a", { namespace: "default" });
  await waitFor(() => seen.length === 3, { what: "three events" });
  abort.abort();
  await watching;
  assert.deepEqual(seen, ["ADDED watch-a", "MODIFIED watch-a", "DELETED watch-a"]);
});

test("an informer cut off from the API server catches up with what changed meanwhile", async () => {
  const r = await relay(cluster.url);
  const { informer, events, errors, lists } = configMapInformer(r.url, "informer");
  const labels = (app: string) => ({ suite: "informer", app });
  try {
    await api.create(CONFIGMAPS, cm("inf-a", { v: "1" }, labels("web")));
    informer.start();
    assert.equal(await informer.waitForSync(), true);
    await api.create(CONFIGMAPS, cm("inf-b", {}, labels("web")));
    await api.create(CONFIGMAPS, cm("inf-c", {}, labels("db")));
    await waitFor(() => informer.store.size === 3, { what: "watch adds" });
    assert.deepEqual(namesBy(informer, "web"), ["inf-a", "inf-b"]);

    r.cut();
    await api.patch(CONFIGMAPS, "inf-a", "merge", { data: { v: "2" } }, { namespace: "default" });
    await api.delete(CONFIGMAPS, "inf-b", { namespace: "default" });
    await api.create(CONFIGMAPS, cm("inf-d", {}, labels("db")));
    r.restore();

    await waitFor(() => events.includes("add inf-d") && events.includes("delete inf-b"), {
      what: "changes made while cut off",
      timeoutMs: 15_000,
    });
    const truth = await api.listAll<ConfigMap>(CONFIGMAPS, {
      namespace: "default",
      labelSelector: "suite=informer",
    });
    await waitFor(
      () => BigInt(informer.lastSyncResourceVersion()) >= BigInt(truth.metadata.resourceVersion!),
      {
        what: "caught up",
      },
    );
    assert.deepEqual(
      informer.store
        .list()
        .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
        .sort(),
      truth.items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort(),
    );
    assert.equal(informer.store.get("default/inf-a")?.data?.v, "2");
    assert.deepEqual(namesBy(informer, "db"), ["inf-c", "inf-d"]);
    assert.ok(events.includes("update inf-a"));
    assert.ok(errors.some(isNetworkError), "the cut was felt as connection failures");
    assert.equal(lists(), 1, "resumed the watch from its resourceVersion: the server still had that history");
  } finally {
    await informer.stop();
    await r.close();
  }
});

test("an API server restart loses the watch history: the informer relists on 410 and infers the deletes", async () => {
  // A second API server process on the same etcd serves the informer; the in-process one takes the
  // writes while the second is down. Its fresh watch cache has no history before its start, so the
  // informer's resume is answered 410 Expired, as kube-apiserver answers after a restart.
  const port = await freePort();
  const args = ["apiserver", "--etcd-servers", cluster.etcd.endpoint, "--port", String(port)];
  let second = startK8ts(args);
  const url = `http://127.0.0.1:${port}`;
  const { informer, events, lists } = configMapInformer(url, "relist");
  const labels = { suite: "relist" };
  try {
    await waitHttpOk(`${url}/healthz`);
    for (const n of ["rl-a", "rl-b", "rl-c"]) await api.create(CONFIGMAPS, cm(n, {}, labels));
    informer.start();
    await waitFor(() => informer.store.size === 3, { what: "informer has the three", timeoutMs: 10_000 });
    await second.stop();
    await api.patch(CONFIGMAPS, "rl-a", "merge", { data: { v: "2" } }, { namespace: "default" });
    await api.delete(CONFIGMAPS, "rl-b", { namespace: "default" });
    await api.create(CONFIGMAPS, cm("rl-d", {}, labels));
    second = startK8ts(args);
    await waitHttpOk(`${url}/healthz`);
    await waitFor(() => events.includes("add rl-d (list)"), { what: "relist", timeoutMs: 15_000 });
    assert.deepEqual(events.slice(3).sort(), [
      "add rl-d (list)",
      "delete rl-b (final state unknown)",
      "update rl-a",
    ]);
    assert.equal(lists(), 2);
    assert.deepEqual(informer.store.keys().sort(), ["default/rl-a", "default/rl-c", "default/rl-d"]);
    await api.create(CONFIGMAPS, cm("rl-e", {}, labels));
    await waitFor(() => events.includes("add rl-e"), { what: "watching again after the relist" });
  } finally {
    await informer.stop();
    await second.stop();
  }
});

test("leader election on a real Lease: one leader, release hands over, a silent leader is replaced", async () => {
  const timing = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 300 };
  const leading = new Set<string>();
  let overlap = false;
  const candidate = (identity: string, leaseApi: LeaseApi) => {
    const stop = new AbortController();
    const e = new LeaderElector({
      api: leaseApi,
      lease: { name: "int-test" },
      identity,
      ...timing,
      callbacks: {
        onStartedLeading: () => {
          leading.add(identity);
          if (leading.size > 1) overlap = true;
        },
        onStoppedLeading: () => void leading.delete(identity),
      },
    });
    return { e, stop, done: e.run(stop.signal) };
  };
  const real = leaseApiFor(api);
  const a = candidate("a", real);
  await waitFor(() => a.e.isLeader(), { what: "a leads" });
  let bSilenced = false;
  const b = candidate("b", {
    get: (ns, n) => (bSilenced ? Promise.reject(new Error("silenced")) : real.get(ns, n)),
    create: (l) => (bSilenced ? Promise.reject(new Error("silenced")) : real.create(l)),
    update: (l) => (bSilenced ? Promise.reject(new Error("silenced")) : real.update(l)),
  });
  await waitFor(() => b.e.getLeader() === "a", { what: "b sees a" });

  const lease = await api.get<Lease>(LEASES, "int-test", { namespace: "kube-system" });
  assert.equal(lease.spec?.holderIdentity, "a");
  assert.equal(lease.spec?.leaseDurationSeconds, 2);
  assert.ok(parseMicroTime(lease.spec?.renewTime));

  a.stop.abort();
  await a.done;
  await waitFor(() => b.e.isLeader(), { what: "b leads after a released", timeoutMs: 5000 });
  const handed = await api.get<Lease>(LEASES, "int-test", { namespace: "kube-system" });
  assert.equal(handed.spec?.holderIdentity, "b");
  assert.equal(handed.spec?.leaseTransitions, 1);

  const c = candidate("c", real);
  bSilenced = true;
  await b.done; // b gives up once it cannot renew within the deadline
  assert.equal(b.e.isLeader(), false);
  await waitFor(() => c.e.isLeader(), { what: "c takes over after the lease expires", timeoutMs: 10_000 });
  const taken = await api.get<Lease>(LEASES, "int-test", { namespace: "kube-system" });
  assert.equal(taken.spec?.holderIdentity, "c");
  assert.equal(taken.spec?.leaseTransitions, 2);
  c.stop.abort();
  await c.done;
  assert.equal(overlap, false, "never two leaders at once");
});
