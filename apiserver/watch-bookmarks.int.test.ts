// Watch bookmarks (allowWatchBookmarks=true): a watch whose filter matches nothing still learns
// the current resourceVersion, can resume from it without missing a matching change, and a watch
// that did not ask gets no bookmarks.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openWatchEvents, startEtcd, type TestEtcd, type WatchEvents, waitFor } from "../testing/index.js";
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

async function create(name: string, labels: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${api.url}/api/v1/namespaces/default/configmaps`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ metadata: { name, labels } }),
  });
  assert.equal(res.status, 201);
  return Number(((await res.json()) as any).metadata.resourceVersion);
}

test("bookmarks carry the current resourceVersion to a watch that asked, and only to it", async () => {
  const list = (await (await fetch(`${api.url}/api/v1/namespaces/default/configmaps`)).json()) as any;
  const start = list.metadata.resourceVersion;
  const query = `watch=true&resourceVersion=${start}&labelSelector=app%3Dbm`;
  const withMarks = await watch(`/api/v1/namespaces/default/configmaps?${query}&allowWatchBookmarks=true`);
  const without = await watch(`/api/v1/namespaces/default/configmaps?${query}`);
  try {
    const rv1 = await create("other-1");
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
    const rv2 = await create("other-2");
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
    await create("match-1", { app: "bm" });
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
