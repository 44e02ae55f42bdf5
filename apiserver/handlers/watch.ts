// GET ...?watch=true: a chunked stream of newline-delimited WatchEvents from the watch cache.
// With kubectl's Table Accept header each event's object is a one-row Table (column definitions
// only in the first event, as kube-apiserver sends them). timeoutSeconds ends the stream; a
// client that goes away is unsubscribed at once.
//
// Where it starts: after resourceVersion N (410 Expired when N has left the cache's window), or,
// without one (or with "0"), from the current state: an ADDED per object, written as the socket
// takes them, before any change. sendInitialEvents=true asks for that state explicitly (list-options.ts),
// ended by a BOOKMARK annotated k8s.io/initial-events-end when bookmarks are allowed: an informer
// lists and watches in one stream, and starts on the first objects while the rest are on their way.
//
// allowWatchBookmarks=true: every `bookmarkIntervalMs` (a minute by default, as kube-apiserver's
// watch cache) a BOOKMARK event carries the cache's current resourceVersion, when it moved past
// what the watcher last heard. Every change up to that version that matches the watch has been
// sent, so a client that resumes from it misses nothing, and one whose filter matched nothing for
// a long time resumes from a recent version instead of one the window has dropped (410 Expired).

import type { IncomingMessage, ServerResponse } from "node:http";
import { INITIAL_EVENTS_END_ANNOTATION, type KubeObject, type WatchEvent } from "../../api/meta.js";
import { apiVersionOf, type ResourceType } from "../../api/resources.js";
import { ApiError, badRequest, statusFor } from "../errors.js";
import { filterFor } from "../filter.js";
import { parseSendInitialEvents, queryBool } from "../list-options.js";
import { responseFormat } from "../respond.js";
import { toTable } from "../table/index.js";
import type { CacheWatcher, StartingState, WatchCache } from "../watch-cache.js";

export interface WatchMetrics {
  opened(r: ResourceType): void;
  closed(r: ResourceType): void;
}

const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;
/** The starting state goes out in writes of about this many characters. */
const STATE_CHUNK = 64 * 1024;

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
  const initial = parseSendInitialEvents(q, true);
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
  /** Stops the watch; the response is left to the caller. */
  const stop = () => {
    closed = true;
    if (timer) clearTimeout(timer);
    if (bookmarks) clearInterval(bookmarks);
    unsubscribe?.();
    metrics.closed(r);
  };
  const finish = () => {
    if (closed) return;
    stop();
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

  /** Writes the starting state's matching objects as ADDED events, as fast as the client reads. */
  const sendState = async (state: StartingState, endBookmark: boolean) => {
    let chunk = "";
    for (const o of state.objects) {
      if (closed) return;
      if (!matches(o)) continue;
      chunk += encode({ type: "ADDED", object: o });
      if (chunk.length < STATE_CHUNK) continue;
      const more = res.write(chunk);
      chunk = "";
      if (!more) await drained(res);
    }
    if (endBookmark) {
      chunk += encode(bookmark(r, state.resourceVersion, { [INITIAL_EVENTS_END_ANNOTATION]: "true" }));
    }
    if (chunk && !closed) res.write(chunk);
  };
  const wantsBookmarks = queryBool(q, "allowWatchBookmarks") === true;
  const resourceCache = cache.for(r);
  metrics.opened(r);
  // "close" fires when the client goes away as well as when we end the stream.
  res.on("close", finish);

  const watcher: CacheWatcher = { matches, send: (ev) => write(encode(ev)), end: finish };
  let starting: StartingState | undefined;
  try {
    if (initial === true || (initial === undefined && !fromRv)) {
      // The state first: the newest when sendInitialEvents asks without a version, else any at
      // least as new as the one given (a plain watch without one takes the cache's).
      const notOlderThan =
        initial && rvParam !== "0" && !fromRv ? await resourceCache.currentRevision() : (fromRv ?? 0);
      starting = await resourceCache.subscribeFromState(watcher, notOlderThan);
      unsubscribe = starting.unsubscribe;
    } else if (fromRv) {
      unsubscribe = await resourceCache.subscribe(watcher, fromRv);
    } else {
      // sendInitialEvents=false without a version: changes after the cache's revision, once that
      // is etcd's own ("0": as the cache has it).
      if (rvParam !== "0") await resourceCache.waitFresh(await resourceCache.currentRevision());
      unsubscribe = await resourceCache.subscribe(watcher, resourceCache.resourceVersion);
    }
  } catch (err) {
    if (err instanceof ApiError && err.code === 410) {
      // A too-old resourceVersion is reported inside the stream, as kube-apiserver does.
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache" });
      res.write(`${JSON.stringify({ type: "ERROR", object: statusFor(err) })}\n`);
      finish();
      return;
    }
    // Not started: the error leaves as a Status with its own code (503, 504), not as an empty 200.
    if (!closed) stop();
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
  if (starting) {
    // Changes that arrive meanwhile wait in `pending`, behind the state.
    await sendState(starting, initial === true && wantsBookmarks);
    if (closed) return;
  }
  started = true;
  flush();

  const timeoutSeconds = Number(q.get("timeoutSeconds") ?? "0");
  if (timeoutSeconds > 0) timer = setTimeout(finish, timeoutSeconds * 1000);
  if (wantsBookmarks) {
    bookmarks = setInterval(() => {
      const rv = resourceCache.resourceVersion;
      if (rv <= told) return;
      write(encode(bookmark(r, rv)));
    }, bookmarkIntervalMs);
  }
}

/** A BOOKMARK: the resource's kind, and only a resourceVersion (and annotations) in its metadata. */
function bookmark(r: ResourceType, rv: number, annotations?: Record<string, string>): WatchEvent {
  const metadata = annotations
    ? { resourceVersion: String(rv), annotations }
    : { resourceVersion: String(rv) };
  return { type: "BOOKMARK", object: { kind: r.kind, apiVersion: apiVersionOf(r), metadata } };
}

/** Resolves when the response can take more (drain), or is gone (close). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
