// The watch cache's reset, on a real etcd behind a proxy. When the API server's etcd watch cannot
// resume (etcd compacted past it while the connection was down), the cache ends every watch, so
// each client relists, even one still receiving its starting state, which must then end without
// the initial-events-end bookmark: the client knows the state it got is not whole. The cache then
// lists etcd again and serves what was written while it was cut off.

import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { test } from "node:test";
import { INITIAL_EVENTS_END_ANNOTATION } from "../api/index.js";
import { resourceFor } from "../api/resources.js";
import { decodeWatchStream } from "../client/index.js";
import {
  BIG_STATE_OBJECTS,
  fillNamespace,
  openWatchEvents,
  pausedWatch,
  startEtcd,
  startTcpProxy,
  type TcpProxy,
  type WatchEvents,
  waitFor,
} from "../testing/index.js";
import { type ApiServer, startApiServer } from "./index.js";
import { EtcdStorage } from "./storage/etcd.js";

const WATCH_LIST =
  "watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true";
const isEnd = (e: any) =>
  e.type === "BOOKMARK" && e.object.metadata.annotations?.[INITIAL_EVENTS_END_ANNOTATION] === "true";

test("etcd compacted past the API server's watch while cut off: every watch ends (one mid-state, without the end bookmark) and the cache lists etcd again", {
  timeout: 90_000,
}, async () => {
  const etcd = await startEtcd();
  // Writes that bypass the API server, made while it cannot reach etcd.
  const direct = new EtcdStorage([etcd.endpoint], "/registry", { requestTimeoutMs: 3000 });
  const configmaps = resourceFor("", "configmaps")!;
  let proxy: TcpProxy | undefined;
  let api: ApiServer | undefined;
  let plain: WatchEvents | undefined;
  let fresh: WatchEvents | undefined;
  let midState: IncomingMessage | undefined;
  try {
    proxy = await startTcpProxy(Number(new URL(etcd.endpoint).port));
    api = await startApiServer({ etcdServers: [`http://127.0.0.1:${proxy.port}`], port: 0 });
    const url = api.url;
    const path = await fillNamespace(url, "big");
    const listed = (await (await fetch(`${url}${path}?limit=1`)).json()) as any;
    plain = await openWatchEvents(
      `${url}${path}?watch=true&resourceVersion=${listed.metadata.resourceVersion}`,
    );
    midState = await pausedWatch(`${url}${path}?${WATCH_LIST}`);
    await waitFor(
      async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return /^apiserver_registered_watchers\{resource="configmaps"\} 2$/m.test(text);
      },
      { what: "both watches registered" },
    );

    proxy.down();
    for (const name of ["direct-1", "direct-2"]) {
      await direct.create(configmaps, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: "big" },
      });
    }
    // The API server's watch would resume from before these writes: compacted away.
    await etcd.compact();
    proxy.up();

    await waitFor(() => plain!.ended, { timeoutMs: 15_000, what: "the plain watch to be ended" });
    // What it got before the cut (creates the list's cache had not seen yet) is fine; what was
    // written while cut off must not reach it: it was ended, and its client relists.
    const lateNames = plain.events
      .map((e) => String(e.object?.metadata?.name))
      .filter((n) => n.startsWith("direct-"));
    assert.deepEqual(lateNames, [], "writes made while cut off reached the ended watch");

    midState.resume();
    const got: any[] = [];
    for await (const ev of decodeWatchStream(midState)) got.push(ev);
    assert.ok(!got.some(isEnd), "a state cut short carries no initial-events-end bookmark");
    assert.ok(
      got.length > 0 && got.length < 300,
      `the state was cut short (${got.length} of 300 objects came)`,
    );
    assert.ok(got.every((e) => e.type === "ADDED"));

    // The cache has listed etcd again: a new watch list has everything, including what was
    // written while the API server was cut off.
    await waitFor(
      async () => {
        fresh?.close();
        fresh = await openWatchEvents(`${url}${path}?${WATCH_LIST}`).catch(() => undefined);
        if (!fresh) return false;
        await waitFor(() => fresh!.events.some(isEnd) || fresh!.ended, {
          timeoutMs: 10_000,
          what: "a whole state",
        });
        return fresh.events.some(isEnd);
      },
      { timeoutMs: 20_000, what: "a watch list served again" },
    );
    const names = fresh!.events.filter((e) => e.type === "ADDED").map((e) => e.object.metadata.name);
    assert.equal(names.length, BIG_STATE_OBJECTS + 2);
    assert.ok(names.includes("direct-1") && names.includes("direct-2"));
  } finally {
    midState?.destroy();
    plain?.close();
    fresh?.close();
    // Each stopped even if another fails to.
    await Promise.allSettled([api?.close(), proxy?.close()]);
    direct.close();
    await etcd.stop();
  }
});
