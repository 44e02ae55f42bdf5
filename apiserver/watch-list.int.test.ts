// Watch lists (sendInitialEvents, KEP-3157) against a real API server on a real etcd: the state
// comes first as ADDED events, a bookmark annotated k8s.io/initial-events-end says it is whole and
// which version it reflects, and changes follow on the same stream. The option is checked as
// kube-apiserver checks it.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { INITIAL_EVENTS_END_ANNOTATION } from "../api/index.js";
import { openWatchEvents, startEtcd, type TestEtcd, type WatchEvents, waitFor } from "../testing/index.js";
import { type ApiServer, startApiServer } from "./index.js";

let etcd: TestEtcd;
let api: ApiServer;

before(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdServers: [etcd.endpoint], port: 0 });
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
  const res = await fetch(api.url + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ metadata: { name, labels } }),
  });
  const body = await res.text();
  assert.equal(res.status, 201, body);
  return Number(JSON.parse(body).metadata.resourceVersion);
}

const isEnd = (e: any) =>
  e.type === "BOOKMARK" && e.object.metadata.annotations?.[INITIAL_EVENTS_END_ANNOTATION] === "true";

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
    const next = await waitFor(() => s.events[s.events.indexOf(end) + 1], {
      what: "the change after the state",
    });
    assert.equal(`${next.type} ${next.object.metadata.name}`, "ADDED after");
  } finally {
    s.close();
  }
});

test("a state larger than one write arrives whole and in order before the changes made meanwhile", async () => {
  const path = "/api/v1/namespaces/big/configmaps";
  await create("/api/v1/namespaces", "big");
  const data = "x".repeat(2000);
  for (let i = 0; i < 150; i += 25) {
    await Promise.all(
      Array.from({ length: 25 }, (_, j) =>
        fetch(api.url + path, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ metadata: { name: `cm-${i + j}` }, data: { d: data } }),
        }).then((r) => assert.equal(r.status, 201)),
      ),
    );
  }
  const s = await watch(`${path}?${WATCH_LIST}`);
  const late = create(path, "late");
  try {
    await waitFor(() => s.events.some((e) => e.object?.metadata?.name === "late"), {
      what: "the late create",
    });
    const end = s.events.findIndex(isEnd);
    const names = s.events.slice(0, end).map((e) => e.object.metadata.name);
    assert.equal(new Set(names).size, 150, "every object once");
    assert.ok(
      s.events.findIndex((e) => e.object?.metadata?.name === "late") > end,
      "a change comes after the state it is not part of",
    );
  } finally {
    await late;
    s.close();
  }
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
