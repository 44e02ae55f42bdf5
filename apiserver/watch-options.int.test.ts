// Where a watch starts and what it hears besides changes, against a real API server on a real
// etcd:
// - bookmarks (allowWatchBookmarks=true): a watch whose filter matches nothing still learns the
//   current resourceVersion, can resume from it without missing a matching change, and a watch that
//   did not ask gets none;
// - watch lists (sendInitialEvents, KEP-3157): the state comes first as ADDED events, a bookmark
//   annotated k8s.io/initial-events-end says it is whole and which version it reflects, and changes
//   follow on the same stream. The option is checked as kube-apiserver checks it.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { INITIAL_EVENTS_END_ANNOTATION } from "../api/index.js";
import { decodeWatchStream } from "../client/index.js";
import {
  BIG_STATE_OBJECTS,
  fillNamespace,
  openWatchEvents,
  pausedWatch,
  postObject,
  startEtcd,
  type TestEtcd,
  type WatchEvents,
  waitFor,
} from "../testing/index.js";
import { type ApiServer, startApiServer } from "./index.js";

let etcd: TestEtcd;
let api: ApiServer;

before(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdServers: [etcd.endpoint], port: 0, watchBookmarkIntervalMs: 200 });
});
after(async () => {
  await api?.close();
  await etcd?.stop();
});

const watch = (path: string): Promise<WatchEvents> => openWatchEvents(api.url + path);

const CM = "/api/v1/namespaces/default/configmaps";
const WATCH_LIST =
  "watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true";

async function create(path: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  return Number((await postObject(api.url + path, { metadata: { name, labels } })).metadata.resourceVersion);
}

const isEnd = (e: any) =>
  e.type === "BOOKMARK" && e.object.metadata.annotations?.[INITIAL_EVENTS_END_ANNOTATION] === "true";

/** The events after the state, without the periodic bookmarks (every 200 ms here). */
const changesAfter = (events: any[], end: number) =>
  events.slice(end + 1).filter((e) => e.type !== "BOOKMARK");

test("bookmarks carry the current resourceVersion to a watch that asked, and only to it", async () => {
  const list = (await (await fetch(`${api.url}/api/v1/namespaces/default/configmaps`)).json()) as any;
  const start = list.metadata.resourceVersion;
  const query = `watch=true&resourceVersion=${start}&labelSelector=app%3Dbm`;
  const withMarks = await watch(`/api/v1/namespaces/default/configmaps?${query}&allowWatchBookmarks=true`);
  const without = await watch(`/api/v1/namespaces/default/configmaps?${query}`);
  try {
    const rv1 = await create(CM, "other-1");
    const first = await waitFor(
      () =>
        withMarks.events.find(
          (e) => e.type === "BOOKMARK" && Number(e.object.metadata.resourceVersion) >= rv1,
        ),
      { timeoutMs: 10_000, what: "a bookmark past the unmatched create" },
    );
    assert.equal(first.object.kind, "ConfigMap");
    assert.equal(first.object.apiVersion, "v1");
    assert.deepEqual(Object.keys(first.object.metadata), ["resourceVersion"]);

    // A bookmark comes only when the version moved: the next one follows the next change.
    const marksBefore = withMarks.events.filter((e) => e.type === "BOOKMARK").length;
    const rv2 = await create(CM, "other-2");
    await waitFor(
      () =>
        withMarks.events.find(
          (e) => e.type === "BOOKMARK" && Number(e.object.metadata.resourceVersion) >= rv2,
        ),
      { timeoutMs: 10_000, what: "a bookmark past the second create" },
    );
    assert.equal(withMarks.events.filter((e) => e.type === "BOOKMARK").length, marksBefore + 1);
    assert.deepEqual(without.events, [], "a watch that did not allow bookmarks gets none");

    // Resuming from the bookmark misses nothing that matches.
    const mark = withMarks.events.filter((e) => e.type === "BOOKMARK").at(-1).object.metadata.resourceVersion;
    await create(CM, "match-1", { app: "bm" });
    const resumed = await watch(
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${mark}&labelSelector=app%3Dbm`,
    );
    try {
      const added = await waitFor(() => resumed.events.find((e) => e.type === "ADDED"), {
        what: "the matching create after the bookmark",
      });
      assert.equal(added.object.metadata.name, "match-1");
    } finally {
      resumed.close();
    }
  } finally {
    withMarks.close();
    without.close();
  }
});

test("the state first, filtered, then the initial-events-end bookmark at the newest version, then changes", async () => {
  for (let i = 0; i < 5; i++) await create(CM, `state-${i}`, { app: i % 2 ? "odd" : "even" });
  // A later write to another resource: "the most recent state" must reflect it.
  const newest = await create("/api/v1/namespaces/default/secrets", "later");
  const s = await watch(`${CM}?${WATCH_LIST}&labelSelector=app%3Deven`);
  try {
    const end = await waitFor(() => s.events.find(isEnd), { what: "the initial-events-end bookmark" });
    const before = s.events.slice(0, s.events.indexOf(end));
    assert.deepEqual(before.map((e) => `${e.type} ${e.object.metadata.name}`).sort(), [
      "ADDED state-0",
      "ADDED state-2",
      "ADDED state-4",
    ]);
    assert.equal(end.object.kind, "ConfigMap");
    assert.equal(end.object.apiVersion, "v1");
    assert.ok(
      Number(end.object.metadata.resourceVersion) >= newest,
      `bookmark at ${end.object.metadata.resourceVersion}, newest write at ${newest}`,
    );
    await create(CM, "after", { app: "even" });
    await create(CM, "after-odd", { app: "odd" });
    const next = await waitFor(() => changesAfter(s.events, s.events.indexOf(end))[0], {
      what: "the change after the state",
    });
    assert.equal(`${next.type} ${next.object.metadata.name}`, "ADDED after");
  } finally {
    s.close();
  }
});

/** The big namespace (testing/big-state.ts), made once for the tests that need it. */
let big: Promise<string> | undefined;
const bigState = (): Promise<string> => {
  big ??= fillNamespace(api.url, "big");
  return big;
};
const pausedWatchList = (path: string) => pausedWatch(`${api.url}${path}?${WATCH_LIST}`);

async function openWatchers(): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  return Number(/^apiserver_registered_watchers\{resource="configmaps"\} (\S+)/m.exec(text)?.[1] ?? 0);
}

test("a state larger than the socket takes at once: every object once, then the change made while the reader paused", async () => {
  const path = await bigState();
  const res = await pausedWatchList(path);
  try {
    assert.equal(res.statusCode, 200);
    await create(path, "late");
    const events: any[] = [];
    for await (const ev of decodeWatchStream(res)) {
      events.push(ev);
      if (ev.type === "ADDED" && ev.object.metadata.name === "late") break;
    }
    const end = events.findIndex(isEnd);
    assert.ok(end >= 0, "the initial-events-end bookmark came");
    const names = events.slice(0, end).map((e) => e.object.metadata.name);
    assert.equal(names.length, BIG_STATE_OBJECTS, "every object before the bookmark");
    assert.equal(new Set(names).size, BIG_STATE_OBJECTS, "each once");
    assert.ok(names.every((n) => n.startsWith("cm-")));
    assert.deepEqual(
      changesAfter(events, end).map((e) => `${e.type} ${e.object.metadata.name}`),
      ["ADDED late"],
      "the change made meanwhile comes after the state, once",
    );
  } finally {
    res.destroy();
  }
});

test("a client that leaves part-way through the state is let go: its watch is counted closed", async () => {
  const path = await bigState();
  // The earlier tests' watches are closed by now (their clients left).
  await waitFor(async () => (await openWatchers()) === 0, { what: "no configmap watch open" });
  const res = await pausedWatchList(path);
  await waitFor(async () => (await openWatchers()) === 1, { what: "the watch counted open" });
  res.destroy();
  await waitFor(async () => (await openWatchers()) === 0, { what: "the watch counted closed" });
});

test("sendInitialEvents=false: no state, only what changes after now", async () => {
  await create(CM, "old-1");
  const s = await watch(`${CM}?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan`);
  try {
    await create(CM, "new-1");
    await waitFor(() => s.events.length > 0, { what: "an event" });
    assert.deepEqual(
      s.events.map((e) => `${e.type} ${e.object.metadata.name}`),
      ["ADDED new-1"],
    );
  } finally {
    s.close();
  }
});

test("a state newer than any the cache reaches: 504 Too large resource version after the wait", async () => {
  const ahead = (await create(CM, "now")) + 1000;
  const started = performance.now();
  const res = await fetch(`${api.url}${CM}?${WATCH_LIST}&resourceVersion=${ahead}`);
  assert.equal(res.status, 504);
  const status = (await res.json()) as any;
  assert.equal(status.reason, "Timeout");
  assert.match(status.message, new RegExp(`^Timeout: Too large resource version: ${ahead}, current: \\d+$`));
  assert.equal(status.details.retryAfterSeconds, 1);
  assert.ok(performance.now() - started >= 2900, "it waited for the cache first");
});

test("combinations Kubernetes refuses get its 422 on ListOptions", async () => {
  const cases: [string, string][] = [
    ["sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"],
    [
      "watch=true&sendInitialEvents=true",
      "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
    ],
    [
      "watch=true&resourceVersionMatch=NotOlderThan",
      "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
    ],
    [
      "watch=true&sendInitialEvents=true&resourceVersionMatch=Exact",
      'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"',
    ],
  ];
  for (const [query, message] of cases) {
    const res = await fetch(`${api.url}${CM}?${query}`);
    assert.equal(res.status, 422, query);
    const status = (await res.json()) as any;
    assert.equal(status.reason, "Invalid");
    assert.equal(status.message, `ListOptions.meta.k8s.io "" is invalid: ${message}`);
    assert.deepEqual([status.details.kind, status.details.group], ["ListOptions", "meta.k8s.io"]);
  }
  const bad = await fetch(
    `${api.url}${CM}?watch=true&sendInitialEvents=maybe&resourceVersionMatch=NotOlderThan`,
  );
  assert.equal(bad.status, 400);
});

test("query booleans are read as Go reads them: True and T ask for the state and its end bookmark", async () => {
  const s = await watch(
    `${CM}?watch=true&sendInitialEvents=True&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=T`,
  );
  try {
    await waitFor(() => s.events.some(isEnd), { what: "the initial-events-end bookmark" });
  } finally {
    s.close();
  }
});
