import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { waitFor } from "../testing/index.js";
import { FakeClock } from "./clock.js";
import { isNetworkError } from "./errors.js";
import { FakeApiServer } from "./fake-api-server.js";
import { Informer, listerWatcherFor } from "./informer.js";
import { RestClient } from "./rest.js";

const PODS = { group: "", version: "v1", plural: "pods", namespaced: true };

const pod = (ns: string, name: string, nodeName = "", image = "busybox"): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { namespace: ns, name },
  spec: { nodeName, containers: [{ name: "c", image }] },
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  opts: { namespace?: string; pageSize?: number; resyncPeriodMs?: number; streamLists?: boolean } = {},
) {
  const fake = await new FakeApiServer().start();
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const events: string[] = [];
  const informer = new Informer<KubeObject>({
    name: "pods",
    // Lists by LIST unless the test is about lists streamed by the watch.
    listerWatcher: {
      ...listerWatcherFor(new RestClient({ server: fake.url }), PODS, { namespace: opts.namespace }),
      streamsLists: opts.streamLists ?? false,
    },
    pageSize: opts.pageSize,
    resyncPeriodMs: opts.resyncPeriodMs,
    indexers: { node: (p) => [String((p.spec as { nodeName?: string }).nodeName ?? "")] },
    clock,
    random: () => 0.5,
    onError: (e) => errors.push(e),
  });
  const rv = (o: KubeObject) => o.metadata.resourceVersion;
  const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
  informer.addEventHandler({
    onAdd: (o, initial) => events.push(`add ${key(o)}${initial ? " (list)" : ""}`),
    onUpdate: (a, b) => events.push(`update ${key(b)} ${rv(a) === rv(b) ? "resync" : "changed"}`),
    onDelete: (o, unknown) => events.push(`delete ${key(o)}${unknown ? " (final state unknown)" : ""}`),
  });
  cleanups.push(
    () => informer.stop(),
    () => fake.stop(),
  );
  const seen = (what: string) => waitFor(() => events.includes(what), { what, timeoutMs: 5000 });
  return { fake, clock, informer, events, errors, seen };
}

/**
 * Waits for an event while keeping the fake clock moving, so backoffs end: an informer coming back
 * after the API server was down may fail once more before the port is up.
 */
function seenAsTimePasses(clock: FakeClock, events: string[], what: string): Promise<unknown> {
  return waitFor(
    () => {
      clock.advance(30_000);
      return events.includes(what);
    },
    { what, timeoutMs: 5000 },
  );
}

test("first sync lists at any freshness (resourceVersion 0), follows pages, fills the cache and indexes, and reports adds", async () => {
  const { fake, informer, events } = await setup({ pageSize: 2 });
  for (const [name, node] of [
    ["a", "n1"],
    ["b", "n2"],
    ["c", "n1"],
    ["d", ""],
    ["e", "n1"],
  ]) {
    fake.upsert(pod("default", name!, node));
  }
  informer.start();
  assert.equal(await informer.waitForSync(), true);
  assert.equal(informer.hasSynced(), true);
  assert.deepEqual(
    events.sort(),
    ["a", "b", "c", "d", "e"].map((n) => `add default/${n} (list)`),
  );
  const lists = fake.listRequests();
  assert.deepEqual(
    lists.map((r) => [r.query.get("resourceVersion"), r.query.get("limit"), r.query.get("continue")]),
    [
      // A server without a watch cache may still page it; a continued page names no version.
      ["0", "2", null],
      [null, "2", "2"],
      [null, "2", "4"],
    ],
  );
  assert.deepEqual(
    informer.store
      .byIndex("node", "n1")
      .map((p) => p.metadata.name)
      .sort(),
    ["a", "c", "e"],
  );
  assert.equal(informer.lastSyncResourceVersion(), fake.resourceVersion);
});

test("watch events update the cache, indexes and handlers", async () => {
  const { fake, informer, events, seen } = await setup();
  fake.upsert(pod("default", "a", "n1"));
  informer.start();
  await informer.waitForSync();
  await waitFor(() => fake.openWatches() === 1, { what: "watch open" });
  fake.upsert(pod("default", "a", "n2"));
  fake.upsert(pod("default", "b", "n2"));
  fake.remove("default", "a");
  await seen("delete default/a");
  assert.deepEqual(events, [
    "add default/a (list)",
    "update default/a changed",
    "add default/b",
    "delete default/a",
  ]);
  assert.deepEqual(informer.store.keys(), ["default/b"]);
  assert.deepEqual(
    informer.store.byIndex("node", "n2").map((p) => p.metadata.name),
    ["b"],
  );
  assert.deepEqual(informer.store.byIndex("node", "n1"), []);
  const watch = fake.watchRequests()[0]!;
  assert.equal(watch.query.get("allowWatchBookmarks"), "true");
  const timeout = Number(watch.query.get("timeoutSeconds"));
  assert.ok(
    timeout >= 150 && timeout < 300,
    `timeoutSeconds ${timeout}: ends before undici's 300 s body timeout`,
  );
});

test("when the watch stream ends, the informer resumes from the last version without relisting", async () => {
  const { fake, informer, events, seen } = await setup({ namespace: "mine" });
  informer.start();
  await informer.waitForSync();
  await waitFor(() => fake.openWatches() === 1, { what: "watch open" });
  fake.upsert(pod("mine", "a"));
  await seen("add mine/a");
  const afterA = fake.resourceVersion;
  // A change in another namespace moves the version on without an event for us; a bookmark tells us.
  fake.upsert(pod("other", "x"));
  fake.bookmark();
  await waitFor(() => informer.lastSyncResourceVersion() === fake.resourceVersion, { what: "bookmark" });
  assert.notEqual(informer.lastSyncResourceVersion(), afterA);
  const bookmarked = fake.resourceVersion;
  fake.endWatches();
  fake.upsert(pod("mine", "b")); // happens while the informer reconnects
  await seen("add mine/b");
  assert.equal(fake.listRequests().length, 1, "no relist");
  assert.deepEqual(
    fake.watchRequests().map((r) => r.query.get("resourceVersion")),
    ["100", bookmarked],
  );
  assert.deepEqual(events, ["add mine/a", "add mine/b"], "nothing missed, nothing repeated");
});

for (const [goneAs, streamLists] of [
  ["event", false],
  ["http", false],
  ["event", true],
  ["http", true],
] as const) {
  const how = `${goneAs}${streamLists ? ", lists streamed" : ""}`;
  test(`API server down, history compacted meanwhile: backs off, then relists on 410 (${how}) and delivers the differences`, async () => {
    const { fake, clock, informer, events, errors, seen } = await setup({ streamLists });
    fake.goneAs = goneAs;
    for (const n of ["a", "b", "c"]) fake.upsert(pod("default", n));
    informer.start();
    await informer.waitForSync();
    await waitFor(() => fake.openWatches() === 1, { what: "watch open" });
    await fake.stop();
    await clock.blockUntilTimers(1); // the informer is waiting out a backoff
    assert.ok(errors.some(isNetworkError), "connection failures were reported");
    fake.remove("default", "a");
    fake.upsert(pod("default", "b", "n9"));
    fake.upsert(pod("default", "d"));
    fake.compact();
    await fake.restart();
    await seenAsTimePasses(clock, events, "add default/d (list)");
    assert.deepEqual(events.slice(3).sort(), [
      "add default/d (list)",
      "delete default/a (final state unknown)",
      "update default/b changed",
    ]);
    assert.deepEqual(informer.store.keys().sort(), ["default/b", "default/c", "default/d"]);
    if (streamLists) {
      // The relist gathered the streamed state before replacing: the differences above.
      const asked = fake
        .watchRequests()
        .map((r) => [r.query.get("sendInitialEvents"), r.query.get("resourceVersion")]);
      assert.deepEqual(
        [asked[0], asked.at(-1)],
        [
          ["true", null],
          ["true", null],
        ],
        "the newest state, streamed",
      );
      assert.equal(fake.listRequests().length, 0);
    } else {
      assert.deepEqual(
        fake.listRequests().map((r) => r.query.get("resourceVersion")),
        ["0", null],
        "the relist after 410 asks for the newest state, not any cached one",
      );
    }
    await waitFor(() => fake.openWatches() === 1, { what: "watch again" });
    fake.upsert(pod("default", "e"));
    await seen("add default/e");
  });
}

test("a streamed list: the first watch sends the state, handlers get it before sync, the end bookmark syncs, and the stream goes on", async () => {
  const { fake, informer, events, seen } = await setup({ streamLists: true });
  for (const n of ["a", "b", "c"]) fake.upsert(pod("default", n));
  fake.afterState = "hold";
  informer.start();
  let synced = false;
  void informer.waitForSync().then((ok) => {
    synced = ok;
  });
  await seen("add default/c (list)");
  assert.deepEqual(
    events.sort(),
    ["a", "b", "c"].map((n) => `add default/${n} (list)`),
    "each object was handed on as it arrived, before the state was known whole",
  );
  assert.equal(informer.hasSynced(), false);
  assert.equal(synced, false);
  fake.sendInitialEventsEnd();
  await waitFor(() => synced, { what: "sync at the end bookmark" });
  assert.equal(informer.lastSyncResourceVersion(), fake.resourceVersion, "the end bookmark's version");
  fake.upsert(pod("default", "d"));
  await seen("add default/d");
  assert.equal(fake.listRequests().length, 0, "no LIST");
  const watches = fake.watchRequests();
  assert.equal(watches.length, 1, "the changes came on the stream that brought the state");
  const q = watches[0]!.query;
  assert.deepEqual(
    [
      q.get("sendInitialEvents"),
      q.get("resourceVersionMatch"),
      q.get("resourceVersion"),
      q.get("allowWatchBookmarks"),
    ],
    ["true", "NotOlderThan", null, "true"],
    "the most recent state, ended by a bookmark",
  );
});

test("a watch that fails to bring the whole state: that sync is a LIST, the next ones are streamed again", async () => {
  const { fake, clock, informer, events, errors, seen } = await setup({ streamLists: true });
  fake.upsert(pod("default", "a"));
  fake.afterState = "close";
  informer.start();
  assert.equal(await informer.waitForSync(), true);
  assert.deepEqual(events, ["add default/a (list)"]);
  assert.equal(fake.listRequests().length, 1, "the sync was a LIST");
  assert.match(String(errors[0]), /ended before its initial events did/);
  await waitFor(() => fake.openWatches() === 1, { what: "watch open" });
  fake.upsert(pod("default", "b"));
  await seen("add default/b");
  // The next sync (a relist after 410) asks for the stream again.
  fake.afterState = "end";
  await fake.stop();
  await clock.blockUntilTimers(1);
  fake.upsert(pod("default", "c"));
  fake.compact();
  await fake.restart();
  await seenAsTimePasses(clock, events, "add default/c (list)");
  assert.equal(
    fake.watchRequests().at(-1)!.query.get("sendInitialEvents"),
    "true",
    "the relist was streamed",
  );
  assert.equal(fake.listRequests().length, 1);
});

test("a server that refuses to stream lists (422) is asked with a LIST, without an error", async () => {
  const { fake, informer, events, errors, seen } = await setup({ streamLists: true });
  fake.streamsLists = false;
  fake.upsert(pod("default", "a"));
  informer.start();
  assert.equal(await informer.waitForSync(), true);
  assert.deepEqual(events, ["add default/a (list)"]);
  await waitFor(() => fake.openWatches() === 1, { what: "watch open" });
  fake.upsert(pod("default", "b"));
  await seen("add default/b");
  assert.deepEqual(
    fake.watchRequests().map((r) => [r.query.get("sendInitialEvents"), r.query.get("resourceVersion")]),
    [
      ["true", null],
      [null, "101"],
    ],
  );
  assert.deepEqual(
    fake.listRequests().map((r) => r.query.get("resourceVersion")),
    ["0"],
  );
  assert.deepEqual(errors, [], "a refusal is an answer, not a failure");
});

test("resync re-delivers every cached object as an update, once per period", async () => {
  const { fake, clock, informer, events } = await setup({ resyncPeriodMs: 60_000 });
  fake.upsert(pod("default", "a"));
  fake.upsert(pod("default", "b"));
  informer.start();
  await informer.waitForSync();
  clock.advance(59_999);
  assert.equal(events.filter((e) => e.endsWith("resync")).length, 0);
  clock.advance(1);
  assert.deepEqual(events.filter((e) => e.endsWith("resync")).sort(), [
    "update default/a resync",
    "update default/b resync",
  ]);
  clock.advance(60_000);
  assert.equal(events.filter((e) => e.endsWith("resync")).length, 4);
});

test("a handler added after sync first gets the cached objects; stop closes the watch", async () => {
  const { fake, informer } = await setup();
  fake.upsert(pod("default", "a"));
  informer.start();
  await informer.waitForSync();
  const late: string[] = [];
  informer.addEventHandler({ onAdd: (o, initial) => late.push(`${o.metadata.name} ${initial}`) });
  assert.deepEqual(late, ["a true"]);
  await waitFor(() => fake.openWatches() === 1, { what: "watch open" });
  await informer.stop();
  await waitFor(() => fake.openWatches() === 0, { what: "watch closed" });
  assert.equal(await informer.waitForSync(), true);
});

test("waitForSync answers false when stopped before the first list succeeds", async () => {
  const { fake, informer } = await setup();
  await fake.stop();
  informer.start();
  const synced = informer.waitForSync();
  await informer.stop();
  assert.equal(await synced, false);
});
