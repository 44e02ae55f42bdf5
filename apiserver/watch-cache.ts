// The watch cache: one etcd watch per resource type, fanned out to every HTTP watcher.
//
// For each resource it keeps the current objects and a bounded window of recent events. A
// watcher that starts at resourceVersion N is replayed every event after N from the window and
// then follows live events; when N is older than the window it gets 410 Expired and must relist
// (as Kubernetes' watch cache answers "too old resource version"). A watcher without a
// resourceVersion first gets a synthetic ADDED for every current object; so does one that asks
// for them (sendInitialEvents), handed the objects to send at its own pace. Filters (namespace,
// label and field selectors) are applied per watcher; an object that stops matching is sent as
// DELETED and one that starts matching as ADDED, as Kubernetes does.

import type { KubeObject, WatchEvent } from "../api/meta.js";
import type { ResourceType } from "../api/resources.js";
import { ApiError } from "./errors.js";
import type { EtcdStorage, StorageWatch } from "./storage/etcd.js";

export interface CacheWatcher {
  matches(obj: KubeObject): boolean;
  send(ev: WatchEvent): void;
  /** The cache cannot continue this watcher (cache reset): end the stream so the client resumes. */
  end(): void;
}

interface CachedEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: KubeObject;
  prev: KubeObject | undefined;
  rv: number;
}

const DEFAULT_CAPACITY = 20_000;
/** How long a request for a version the cache has not reached waits (kube-apiserver: 3 s). */
const FRESH_TIMEOUT_MS = 3000;
const PROGRESS_RETRY_MS = 100;

/** The state a watcher starts from: objects not sent yet, and the revision they reflect. */
export interface StartingState {
  objects: KubeObject[];
  resourceVersion: number;
  unsubscribe: () => void;
}

export class ResourceCache {
  private objects = new Map<string, KubeObject>();
  private window: CachedEvent[] = [];
  private head = 0; // index of the oldest event in the ring
  /** Events after this revision are all in the window; older ones were evicted (or predate the cache). */
  private evictedUpTo = 0;
  /** The newest event applied: older ones arriving later are replays, skipped. */
  private latestRv = 0;
  /**
   * The newest revision etcd reported the watch caught up with. Kept apart from latestRv: etcd
   * before 3.4.24/3.5.8 could report progress ahead of events still on their way (etcd#15220), and
   * such events must still be applied.
   */
  private progressRv = 0;
  private watchers = new Set<CacheWatcher>();
  private freshWaiters: { rv: number; resolve: () => void }[] = [];
  /** Asks etcd for progress reports while anyone waits for the cache to catch up. */
  private progressTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private etcdWatch: StorageWatch | undefined;
  private ready: Promise<void> | undefined;
  private generation = 0;

  constructor(
    readonly resource: ResourceType,
    private readonly storage: EtcdStorage,
    private readonly capacity = DEFAULT_CAPACITY,
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  get watcherCount(): number {
    return this.watchers.size;
  }

  get size(): number {
    return this.objects.size;
  }

  /** Lists every object, then follows etcd from the list's revision. Resolves when synced. */
  start(): Promise<void> {
    if (!this.ready) {
      this.ready = this.sync().catch((err) => {
        this.ready = undefined;
        throw err;
      });
    }
    return this.ready;
  }

  private async sync(): Promise<void> {
    const gen = ++this.generation;
    const page = await this.storage.list(this.resource);
    if (gen !== this.generation) return;
    this.objects.clear();
    for (const o of page.items) this.objects.set(keyOf(o), o);
    this.window = [];
    this.head = 0;
    this.evictedUpTo = page.revision;
    this.latestRv = page.revision;
    this.progressRv = 0;
    this.etcdWatch = await this.storage.watch(this.resource, page.revision + 1, {
      put: (obj, created, rv) =>
        gen === this.generation && this.apply(created ? "ADDED" : "MODIFIED", obj, rv),
      delete: (ns, name, rv) => gen === this.generation && this.applyDelete(ns, name, rv),
      broken: (err) => gen === this.generation && this.reset(err),
      progress: (rv) => gen === this.generation && this.progressed(rv),
    });
    this.wakeFresh();
  }

  /**
   * etcd reports that every change up to `rv` has arrived: the cache reflects `rv` even when none of
   * them was of this resource.
   */
  private progressed(rv: number): void {
    if (rv <= this.progressRv) return;
    this.progressRv = rv;
    this.wakeFresh();
  }

  private wakeFresh(): void {
    if (this.freshWaiters.length === 0) return;
    const still = [];
    for (const w of this.freshWaiters) {
      if (w.rv <= this.resourceVersion) w.resolve();
      else still.push(w);
    }
    this.freshWaiters = still;
  }

  /**
   * Resolves once the cache reflects revision `rv` (asking etcd for a progress report when no event
   * brings it there); after `timeoutMs` fails with 504 "Too large resource version", as
   * kube-apiserver's watch cache does.
   */
  async waitFresh(rv: number, timeoutMs = FRESH_TIMEOUT_MS): Promise<void> {
    await this.start();
    if (rv <= this.resourceVersion) return;
    let timer: NodeJS.Timeout | undefined;
    const waiter = { rv, resolve: () => {} };
    const fresh = new Promise<void>((resolve) => {
      waiter.resolve = resolve;
      this.freshWaiters.push(waiter);
    });
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new ApiError(
            504,
            "Timeout",
            `Timeout: Too large resource version: ${rv}, current: ${this.resourceVersion}`,
            {
              causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
              retryAfterSeconds: 1,
            },
          ),
        );
      }, timeoutMs);
    });
    this.askProgress();
    try {
      await Promise.race([fresh, late]);
    } finally {
      clearTimeout(timer);
      this.freshWaiters = this.freshWaiters.filter((w) => w !== waiter);
    }
  }

  /**
   * One progress request now, then one every PROGRESS_RETRY_MS while anyone still waits: etcd
   * answers only a watch that has caught up. One asker per cache, however many wait.
   */
  private askProgress(): void {
    if (this.progressTimer) return;
    this.etcdWatch?.requestProgress();
    this.progressTimer = setInterval(() => {
      if (this.freshWaiters.length > 0 && !this.stopped) {
        this.etcdWatch?.requestProgress();
        return;
      }
      clearInterval(this.progressTimer);
      this.progressTimer = undefined;
    }, PROGRESS_RETRY_MS);
  }

  /** The newest revision in etcd (any resource): what "the most recent state" must reach. */
  currentRevision(): Promise<number> {
    return this.storage.revision();
  }

  /** The etcd watch broke beyond resuming: end every watcher (they resume or relist) and resync. */
  private reset(err: Error): void {
    this.onError(err);
    const old = this.etcdWatch;
    this.etcdWatch = undefined;
    this.ready = undefined;
    this.generation++;
    void old?.().catch(() => {});
    for (const w of this.watchers) w.end();
    this.watchers.clear();
    void this.start().catch((e) => this.onError(e as Error));
  }

  /** A DELETED event carries the object's last state (from the cache) at the delete's revision. */
  private applyDelete(namespace: string | undefined, name: string, rv: number): void {
    if (rv <= this.latestRv) return;
    const last = this.objects.get(`${namespace ?? ""}/${name}`);
    if (!last) {
      // Cannot happen while the cache follows etcd from its list; if it does, say so and move on.
      this.onError(new Error(`watch cache: delete of ${namespace ?? ""}/${name} at ${rv}, not in the cache`));
      return;
    }
    this.apply("DELETED", { ...last, metadata: { ...last.metadata, resourceVersion: String(rv) } }, rv);
  }

  private apply(type: CachedEvent["type"], obj: KubeObject, rv: number): void {
    if (rv <= this.latestRv) return; // replays after a reconnect
    const k = keyOf(obj);
    const prev = this.objects.get(k);
    if (type === "DELETED") this.objects.delete(k);
    else this.objects.set(k, obj);
    const ev: CachedEvent = { type, object: obj, prev, rv };
    this.push(ev);
    this.latestRv = rv;
    for (const w of this.watchers) deliver(w, ev);
    this.wakeFresh();
  }

  private push(ev: CachedEvent): void {
    if (this.window.length < this.capacity) {
      this.window.push(ev);
      return;
    }
    const evicted = this.window[this.head]!;
    this.evictedUpTo = evicted.rv;
    this.window[this.head] = ev;
    this.head = (this.head + 1) % this.capacity;
  }

  private *eventsAfter(rv: number): Generator<CachedEvent> {
    const n = this.window.length;
    for (let i = 0; i < n; i++) {
      const ev = this.window[(this.head + i) % n]!;
      if (ev.rv > rv) yield ev;
    }
  }

  /**
   * Adds a watcher that gets every change after revision `fromRv` (> 0). Throws 410 Expired when
   * `fromRv` is older than the window. To start from the current state: subscribeFromState.
   */
  async subscribe(w: CacheWatcher, fromRv: number): Promise<() => void> {
    await this.start();
    if (this.stopped) {
      w.end();
      return () => {};
    }
    if (fromRv < this.evictedUpTo) {
      throw new ApiError(410, "Expired", `too old resource version: ${fromRv} (${this.evictedUpTo})`);
    }
    for (const ev of this.eventsAfter(fromRv)) deliver(w, ev);
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  /**
   * Adds a watcher that starts from the current state, once the cache reflects at least
   * `notOlderThan`: the objects are returned (unfiltered, unsent) with the revision they reflect,
   * and every change after it goes to `w`. The caller sends the objects before those changes.
   */
  async subscribeFromState(w: CacheWatcher, notOlderThan = 0): Promise<StartingState> {
    await this.waitFresh(notOlderThan);
    if (this.stopped) {
      w.end();
      return { objects: [], resourceVersion: this.resourceVersion, unsubscribe: () => {} };
    }
    const objects = [...this.objects.values()];
    this.watchers.add(w);
    return { objects, resourceVersion: this.resourceVersion, unsubscribe: () => this.watchers.delete(w) };
  }

  /** Every cached object that passes `filter`, in key order, and the revision the cache is at. */
  snapshot(filter?: (o: KubeObject) => boolean): { items: KubeObject[]; resourceVersion: number } {
    const keys = [...this.objects.keys()].sort();
    const items: KubeObject[] = [];
    for (const k of keys) {
      const o = this.objects.get(k)!;
      if (!filter || filter(o)) items.push(o);
    }
    return { items, resourceVersion: this.resourceVersion };
  }

  /** The cached object (possibly a few milliseconds behind etcd), if the cache has it. */
  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(`${namespace ?? ""}/${name}`);
  }

  /** The revision the cache reflects: its newest event, or etcd's newest report of progress. */
  get resourceVersion(): number {
    return Math.max(this.latestRv, this.progressRv);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.progressTimer);
    this.progressTimer = undefined;
    this.generation++;
    const c = this.etcdWatch;
    this.etcdWatch = undefined;
    for (const w of this.watchers) w.end();
    this.watchers.clear();
    await c?.().catch(() => {});
  }
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

function deliver(w: CacheWatcher, ev: CachedEvent): void {
  const now = w.matches(ev.object);
  if (ev.type === "DELETED") {
    if (now) w.send({ type: "DELETED", object: ev.object });
    return;
  }
  if (ev.type === "ADDED") {
    if (now) w.send({ type: "ADDED", object: ev.object });
    return;
  }
  const before = ev.prev ? w.matches(ev.prev) : false;
  if (now && before) w.send({ type: "MODIFIED", object: ev.object });
  else if (now) w.send({ type: "ADDED", object: ev.object });
  else if (before) w.send({ type: "DELETED", object: ev.object });
}

/** All resource caches of one API server. */
export class WatchCache {
  private caches = new Map<ResourceType, ResourceCache>();

  constructor(
    private readonly storage: EtcdStorage,
    private readonly onError: (err: Error) => void = () => {},
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  for(r: ResourceType): ResourceCache {
    let c = this.caches.get(r);
    if (!c) {
      c = new ResourceCache(r, this.storage, this.capacity, this.onError);
      this.caches.set(r, c);
    }
    return c;
  }

  get watcherCount(): number {
    let n = 0;
    for (const c of this.caches.values()) n += c.watcherCount;
    return n;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.caches.values()].map((c) => c.stop()));
  }
}
