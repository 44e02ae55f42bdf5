// An informer keeps a local cache of one resource in step with the API server and tells handlers
// what changed, after client-go's Reflector + SharedIndexInformer:
//
// 1. LIST and replace the cache with the result, delivering the differences: adds for new
//    keys, updates for changed resourceVersions, and deletes (finalStateUnknown) for keys that are
//    gone — objects deleted while we were not watching.
//    With a lister-watcher that streams lists (the API server's sendInitialEvents, client-go's
//    WatchListClient), the list comes as the first events of a watch instead, ended by a bookmark
//    annotated k8s.io/initial-events-end: the first sync takes each object as it arrives, while
//    the server is still sending the rest, and a relist gathers them, then replaces. When such a
//    watch fails, that sync is done with a LIST (as client-go's reflector falls back: progress
//    over persistence); a server that refuses the option (400, 422) is asked with LISTs from then on.
// 2. WATCH from the list's resourceVersion. When the stream ends (server timeout, restart) resume
//    from the last resourceVersion seen, bookmarks included; no relist, no missed or repeated events.
// 3. On 410 Gone (the version fell out of the server's history), start again at 1.
// 4. On any other failure (API server down, 5xx) wait with jittered exponential backoff and retry
//    the step that failed.
// Every `resyncPeriodMs` all cached objects are re-delivered as updates (old === new), so
// level-triggered controllers re-check everything even when nothing changed.
//
// Handlers run synchronously on the informer's loop, in event order: keep them short (enqueue a key).

import { INITIAL_EVENTS_END_ANNOTATION, type KubeList, type KubeObject } from "../api/index.js";
import { Backoff, type BackoffOptions } from "./backoff.js";
import { Indexer, type Indexers, objectKey, type Store } from "./cache.js";
import { type Clock, realClock, sleep } from "./clock.js";
import { ApiError, isGone } from "./errors.js";
import type { ResourceRef, RestClient } from "./rest.js";
import type { WatchEventOf } from "./watch-stream.js";

export interface ListerWatcher<T extends KubeObject> {
  list(opts: {
    limit?: number;
    continue?: string;
    resourceVersion?: string;
    signal: AbortSignal;
  }): Promise<KubeList<T>>;
  watch(opts: {
    resourceVersion: string;
    allowWatchBookmarks: boolean;
    timeoutSeconds: number;
    /** Only asked of a lister-watcher with `streamsLists`. */
    sendInitialEvents?: boolean;
    signal: AbortSignal;
  }): AsyncIterable<WatchEventOf<T>>;
  /** The watch can send the current state first (sendInitialEvents): list and watch in one stream. */
  streamsLists?: boolean;
}

/** Lists and watches one resource through a RestClient, optionally narrowed by namespace and selectors. */
export function listerWatcherFor<T extends KubeObject>(
  client: RestClient,
  resource: ResourceRef,
  scope: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {},
): ListerWatcher<T> {
  return {
    list: (opts) => client.list<T>(resource, { ...scope, ...opts }),
    watch: (opts) => client.watch<T>(resource, { ...scope, ...opts }),
    streamsLists: true,
  };
}

export interface EventHandlers<T> {
  /** `initialList` is true for objects found by a list (first sync, relist, late handler registration). */
  onAdd?(obj: T, initialList: boolean): void;
  /** Also called with old === new on resync. */
  onUpdate?(oldObj: T, newObj: T): void;
  /** `finalStateUnknown`: the delete was inferred from a relist, `obj` is the last state we saw. */
  onDelete?(obj: T, finalStateUnknown: boolean): void;
}

export interface InformerOptions<T extends KubeObject> {
  listerWatcher: ListerWatcher<T>;
  /** For messages: "pods". */
  name?: string;
  indexers?: Indexers<T>;
  /** 0 or omitted: no resync. */
  resyncPeriodMs?: number;
  /** Page size of a list the server pages (a relist from etcd); 500 like client-go. */
  pageSize?: number;
  /** Retry backoff after failures; client-go's reflector uses 800 ms doubling to 30 s with full jitter. */
  backoff?: Partial<BackoffOptions>;
  clock?: Clock;
  random?: () => number;
  /** Failures the informer recovered from (for logs): list/watch errors, handler exceptions. */
  onError?(err: unknown): void;
}

/** A watch that ends this soon having delivered nothing counts as a failure (guards against hot loops). */
const SHORT_WATCH_MS = 1000;

export class Informer<T extends KubeObject> {
  readonly name: string;
  private readonly indexer: Indexer<T>;
  private readonly lw: ListerWatcher<T>;
  private readonly handlers = new Set<EventHandlers<T>>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private synced = false;
  private syncWaiters: ((ok: boolean) => void)[] = [];
  private rv = "";
  /** Lists arrive as a watch's first events; false once the server refused that. */
  private streamLists: boolean;
  /** The last watch meant to bring the state failed: the next sync is a LIST. */
  private listNext = false;
  private cancelResync: (() => void) | undefined;

  constructor(private readonly opts: InformerOptions<T>) {
    this.name = opts.name ?? "informer";
    this.lw = opts.listerWatcher;
    this.streamLists = opts.listerWatcher.streamsLists === true;
    this.indexer = new Indexer<T>(opts.indexers);
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.backoff = new Backoff({
      initialMs: 800,
      maxMs: 30_000,
      jitter: 1,
      ...opts.backoff,
      random: opts.backoff?.random ?? this.random,
    });
  }

  /** The cache. Read-only: copy an object before changing it. */
  get store(): Store<T> {
    return this.indexer;
  }

  /** Adds indexes (for example when a second controller shares this informer); cached objects are indexed at once. */
  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  /** Registers handlers; if the cache is already filled, they first get an add for every object. */
  addEventHandler(h: EventHandlers<T>): () => void {
    this.handlers.add(h);
    if (this.synced) for (const obj of this.indexer.list()) this.call(() => h.onAdd?.(obj, true));
    return () => this.handlers.delete(h);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * True once the first list has been put into the cache. A streamed list is the most recent state;
   * a LIST (from a lister-watcher that does not stream) comes from the API server's watch cache
   * (resourceVersion 0), a moment behind etcd: a write made just before start() can arrive after
   * sync, as a watch event. Code that acts on an object's absence checks with a GET.
   */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true when synced, false if the informer stops first. */
  waitForSync(): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.abort.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The resourceVersion the cache reflects (last list, event or bookmark). */
  lastSyncResourceVersion(): string {
    return this.rv;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.cancelResync?.();
    for (const w of this.syncWaiters.splice(0)) w(false);
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let needList = true;
    while (!signal.aborted) {
      const streamed = needList && this.streamLists && !this.listNext;
      if (needList && !streamed) {
        try {
          await this.listAndReplace(signal);
        } catch (err) {
          if (signal.aborted) return;
          this.report(err);
          await sleep(this.clock, this.backoff.next(), signal);
          continue;
        }
        this.listNext = false;
      }
      // Streamed, the list is the first watch's business.
      needList = await this.watchUntilGone(signal, streamed);
      if (!needList) return;
    }
  }

  private async listAndReplace(signal: AbortSignal): Promise<void> {
    const pageSize = this.opts.pageSize ?? 500;
    // The first list takes any recent state (resourceVersion "0"), which the API server answers
    // whole from its watch cache, without reading etcd page by page: client-go's reflector does
    // the same. The watch then starts from that list's version, so nothing is missed. A relist
    // (after 410 Gone) asks etcd for the newest state, paged.
    const first = await this.lw.list({
      limit: pageSize,
      resourceVersion: this.synced ? undefined : "0",
      signal,
    });
    const items = [...(first.items ?? [])];
    let next = first.metadata?.continue;
    while (next) {
      const page = await this.lw.list({ limit: pageSize, continue: next, signal });
      items.push(...(page.items ?? []));
      next = page.metadata?.continue;
    }
    if (signal.aborted) return;
    this.replace(items);
    this.rv = first.metadata?.resourceVersion ?? "";
    this.markSynced();
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    for (const w of this.syncWaiters.splice(0)) w(true);
    this.armResync();
  }

  /**
   * Watches and resumes until a 410 (returns true: relist) or stop (returns false). `withState`:
   * the first watch must bring the current state; if it fails to, returns true with the next
   * sync set to be a LIST (for good when the server refuses the option).
   */
  private async watchUntilGone(signal: AbortSignal, withState: boolean): Promise<boolean> {
    let needState = withState;
    while (!signal.aborted) {
      const started = this.clock.now();
      let delivered = 0;
      try {
        // A random server-side timeout spreads the reconnects of many clients. client-go picks 5–10
        // min; we stay under 5 min because Node's fetch (undici) drops a response body that has
        // been silent for 300 s, and a quiet resource without bookmarks would look like a failure.
        const timeoutSeconds = Math.floor(150 + 135 * this.random());
        const events = this.lw.watch({
          // The state asked for is the most recent (a consistent read, served from the cache).
          resourceVersion: needState ? "" : this.rv,
          allowWatchBookmarks: true,
          timeoutSeconds,
          ...(needState ? { sendInitialEvents: true } : {}),
          signal,
        });
        // The first sync takes objects as they come; a cache that has some gathers, then replaces.
        const gathered: T[] | undefined = needState && this.indexer.size > 0 ? [] : undefined;
        for await (const ev of events) {
          if (ev.type === "ERROR") throw new ApiError(ev.object);
          delivered++;
          this.backoff.reset();
          if (!needState) {
            this.apply(ev);
            continue;
          }
          if (ev.type === "ADDED") {
            if (gathered) gathered.push(ev.object);
            else this.upsertListed(ev.object);
          } else if (
            ev.type === "BOOKMARK" &&
            ev.object.metadata?.annotations?.[INITIAL_EVENTS_END_ANNOTATION] === "true"
          ) {
            if (gathered) this.replace(gathered);
            this.rv = ev.object.metadata.resourceVersion ?? "";
            needState = false;
            this.markSynced();
          } else if (ev.type !== "BOOKMARK") {
            throw new Error(`${this.name}: a ${ev.type} event before the initial events ended`);
          }
        }
        if (signal.aborted) return false;
        if (needState) throw new Error(`${this.name}: the watch ended before its initial events did`);
        if (delivered === 0 && this.clock.now() - started < SHORT_WATCH_MS) {
          throw new Error(`${this.name}: watch closed at once without events`);
        }
      } catch (err) {
        if (signal.aborted) return false;
        if (isGone(err)) return true;
        if (needState) {
          if (err instanceof ApiError && (err.code === 400 || err.code === 422)) {
            // This server does not stream lists (kube-apiserver without WatchList): LIST from now on.
            this.streamLists = false;
          } else {
            this.report(err);
            this.listNext = true;
          }
          return true;
        }
        this.report(err);
        await sleep(this.clock, this.backoff.next(), signal);
      }
    }
    return false;
  }

  private apply(ev: Exclude<WatchEventOf<T>, { type: "ERROR" }>): void {
    const obj = ev.object;
    const rv = obj.metadata?.resourceVersion;
    if (ev.type === "BOOKMARK") {
      if (rv) this.rv = rv;
      return;
    }
    const key = objectKey(obj);
    if (ev.type === "DELETED") {
      const old = this.indexer.delete(key);
      this.emit((h) => h.onDelete?.(old ?? obj, false));
    } else {
      const old = this.indexer.upsert(obj);
      if (old) this.emit((h) => h.onUpdate?.(old, obj));
      else this.emit((h) => h.onAdd?.(obj, false));
    }
    if (rv) this.rv = rv;
  }

  /** Makes the cache equal to a fresh list and delivers the differences. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(objectKey(obj));
      this.upsertListed(obj);
    }
    for (const key of this.indexer.keys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.delete(key)!;
      this.emit((h) => h.onDelete?.(old, true));
    }
  }

  /** One object of a list into the cache: an add if new, an update if its version moved. */
  private upsertListed(obj: T): void {
    const old = this.indexer.upsert(obj);
    if (!old) this.emit((h) => h.onAdd?.(obj, true));
    else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) {
      this.emit((h) => h.onUpdate?.(old, obj));
    }
  }

  private armResync(): void {
    const period = this.opts.resyncPeriodMs ?? 0;
    if (period <= 0 || this.abort.signal.aborted) return;
    this.cancelResync = this.clock.setTimer(period, () => {
      for (const obj of this.indexer.list()) this.emit((h) => h.onUpdate?.(obj, obj));
      this.armResync();
    });
  }

  private emit(fn: (h: EventHandlers<T>) => void): void {
    for (const h of this.handlers) this.call(() => fn(h));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.report(err);
    }
  }

  private report(err: unknown): void {
    try {
      this.opts.onError?.(err);
    } catch {
      // a failing logger must not stop the informer
    }
  }
}
