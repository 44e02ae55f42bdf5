// GET ...?watch=true: a chunked stream of newline-delimited WatchEvents from the watch cache.
// With kubectl's Table Accept header each event's object is a one-row Table (column definitions
// only in the first event, as kube-apiserver sends them). timeoutSeconds ends the stream; a
// client that goes away is unsubscribed at once.
//
// allowWatchBookmarks=true: every `bookmarkIntervalMs` (a minute by default, as kube-apiserver's
// watch cache) a BOOKMARK event carries the cache's current resourceVersion, when it moved past
// what the watcher last heard. Every change up to that version that matches the watch has been
// sent, so a client that resumes from it misses nothing, and one whose filter matched nothing for
// a long time resumes from a recent version instead of one the window has dropped (410 Expired).

import type { IncomingMessage, ServerResponse } from "node:http";
import type { KubeObject, WatchEvent } from "../../api/meta.js";
import { apiVersionOf, type ResourceType } from "../../api/resources.js";
import { ApiError, badRequest, statusFor } from "../errors.js";
import { filterFor } from "../filter.js";
import { responseFormat } from "../respond.js";
import { toTable } from "../table/index.js";
import type { WatchCache } from "../watch-cache.js";

export interface WatchMetrics {
  opened(r: ResourceType): void;
  closed(r: ResourceType): void;
}

const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;

/**
 * Each object's JSON, made once for every watcher it goes to in this turn of the event loop (as
 * kube-apiserver's watch cache serializes an event once per format, not per watcher): with many
 * watchers of one resource, serializing per watcher was most of a fan-out's cost. A live event
 * reaches all its watchers within the turn it arrives in, so the text is kept only until the turn
 * ends: keeping it as long as the object lives doubled the cache's memory, and every scavenge of
 * the young generation copied those strings again.
 */
let serialized = new Map<KubeObject, string>();
let forgetScheduled = false;

function objectJson(o: KubeObject): string {
  let json = serialized.get(o);
  if (json === undefined) {
    json = JSON.stringify(o);
    serialized.set(o, json);
    if (!forgetScheduled) {
      forgetScheduled = true;
      setImmediate(() => {
        serialized = new Map();
        forgetScheduled = false;
      });
    }
  }
  return json;
}

export async function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceType,
  namespace: string | undefined,
  q: URLSearchParams,
  cache: WatchCache,
  metrics: WatchMetrics,
  fixedName?: string,
  bookmarkIntervalMs = DEFAULT_BOOKMARK_INTERVAL_MS,
): Promise<void> {
  const filter = filterFor(r, namespace, q);
  const matches = (o: KubeObject) =>
    (fixedName === undefined || o.metadata.name === fixedName) && (filter ? filter(o) : true);
  const rvParam = q.get("resourceVersion");
  let fromRv: number | undefined;
  if (rvParam !== null && rvParam !== "") {
    fromRv = Number(rvParam);
    if (!Number.isInteger(fromRv) || fromRv < 0) throw badRequest(`invalid resource version: "${rvParam}"`);
  }
  const fmt = responseFormat(req.headers.accept, q);
  let headerSent = false;
  /** The newest resourceVersion this watcher has been sent (in an event or a bookmark). */
  let told = fromRv ?? 0;
  const encode = (ev: WatchEvent): string => {
    if (ev.type !== "ERROR") {
      const rv = Number((ev.object as KubeObject).metadata?.resourceVersion);
      if (rv > told) told = rv;
    }
    if (ev.type === "ERROR" || ev.type === "BOOKMARK") return `${JSON.stringify(ev)}\n`;
    if (!fmt.table) return `{"type":"${ev.type}","object":${objectJson(ev.object as KubeObject)}}\n`;
    const table = toTable(r, [ev.object as KubeObject], {
      includeObject: fmt.includeObject,
      noHeaders: headerSent,
      listMeta: { resourceVersion: (ev.object as KubeObject).metadata.resourceVersion },
    });
    headerSent = true;
    return `${JSON.stringify({ type: ev.type, object: table })}\n`;
  };

  let closed = false;
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let bookmarks: NodeJS.Timeout | undefined;
  // Events go out together: those that arrive in one turn of the event loop (one etcd watch
  // message can carry many, and a busy cache applies several per turn) leave in one chunk and one
  // write, after the turn, as kube-apiserver flushes a watch only when no more events are queued.
  // Until the head is sent (the subscription may replay history first) they wait as well.
  let pending: string[] = [];
  let started = false;
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    if (!started || pending.length === 0 || res.writableEnded) return;
    const chunk = pending.length === 1 ? pending[0]! : pending.join("");
    pending = [];
    res.write(chunk);
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    if (timer) clearTimeout(timer);
    if (bookmarks) clearInterval(bookmarks);
    unsubscribe?.();
    metrics.closed(r);
    flush();
    if (!res.writableEnded) res.end();
  };
  const write = (chunk: string) => {
    if (closed) return;
    pending.push(chunk);
    if (started && !flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };

  metrics.opened(r);
  // "close" fires when the client goes away as well as when we end the stream.
  res.on("close", finish);

  try {
    unsubscribe = await cache
      .for(r)
      .subscribe({ matches, send: (ev) => write(encode(ev)), end: finish }, fromRv);
  } catch (err) {
    if (err instanceof ApiError && err.code === 410) {
      // A too-old resourceVersion is reported inside the stream, as kube-apiserver does.
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache" });
      res.write(`${JSON.stringify({ type: "ERROR", object: statusFor(err) })}\n`);
      finish();
      return;
    }
    finish();
    throw err;
  }
  if (closed) {
    unsubscribe();
    return;
  }
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache",
    "Transfer-Encoding": "chunked",
  });
  res.flushHeaders();
  started = true;
  flush();

  const timeoutSeconds = Number(q.get("timeoutSeconds") ?? "0");
  if (timeoutSeconds > 0) timer = setTimeout(finish, timeoutSeconds * 1000);
  const wantsBookmarks = q.get("allowWatchBookmarks");
  if (wantsBookmarks === "true" || wantsBookmarks === "1") {
    const resourceCache = cache.for(r);
    bookmarks = setInterval(() => {
      const rv = resourceCache.resourceVersion;
      if (rv <= told) return;
      const apiVersion = apiVersionOf(r);
      write(
        encode({
          type: "BOOKMARK",
          object: { kind: r.kind, apiVersion, metadata: { resourceVersion: String(rv) } },
        }),
      );
    }, bookmarkIntervalMs);
  }
}
