// Objects in etcd: one key per object, JSON values, resourceVersion = the key's mod revision.
// Every write is a single transaction guarded by a compare (create: the key must not exist;
// update/delete: the mod revision must be the one the caller read), so a write is all or nothing
// and a stale writer gets a conflict instead of overwriting someone else's change.

import type { KubeObject } from "../../api/meta.js";
import type { ResourceType } from "../../api/resources.js";
import { ApiError, alreadyExists, conflict, notFound, StorageUnavailableError } from "../errors.js";
import { EtcdKv } from "./etcd-kv.js";
import { EtcdWatch, type WatchSink } from "./etcd-watch.js";
import type { KeyValue, RequestOp } from "./etcd-wire.js";

export interface ListPage {
  items: KubeObject[];
  /** The etcd revision the list was read at. */
  revision: number;
  /** Opaque token for the next page, when more keys remain. */
  continueToken?: string;
}

export interface ListOptions {
  namespace?: string;
  /** Stop after this many matching items (0 or undefined: all). */
  limit?: number;
  continueToken?: string;
  /** Keep only items for which this returns true (selectors), applied before limit. */
  filter?: (obj: KubeObject) => boolean;
}

export interface WatchHandlers {
  /** `created`: this put made the key (ADDED rather than MODIFIED). */
  put(obj: KubeObject, created: boolean, revision: number): void;
  /** The object's last state is not sent: the watch cache holds it. */
  delete(namespace: string | undefined, name: string, revision: number): void;
  /** The watch broke in a way that cannot resume (history compacted): relist. */
  broken(err: Error): void;
  /** Every change up to `revision` has been delivered (the answer to requestProgress). */
  progress?(revision: number): void;
}

/** A running watch: call it to stop; requestProgress asks etcd to report (handlers.progress). */
export type StorageWatch = (() => Promise<void>) & { requestProgress(): void };

/** An object by resource, namespace and name. */
export interface ObjectRef {
  r: ResourceType;
  namespace?: string;
  name: string;
}

interface ContinueToken {
  rev: number;
  start: string;
}

const PAGE = 500;

export class EtcdStorage {
  /** Reads, writes, lease grants and watches: a direct client (etcd-kv.ts, etcd-watch.ts). */
  private readonly kv: EtcdKv;

  constructor(
    endpoints: string[],
    readonly prefix = "/registry",
    opts: { requestTimeoutMs?: number } = {},
  ) {
    // Calls fail fast when etcd is unreachable, so the API answers 503 instead of hanging.
    this.kv = new EtcdKv(endpoints, opts.requestTimeoutMs ?? 5000);
  }

  close(): void {
    this.kv.close();
  }

  /** /registry/pods/default/p1, /registry/deployments.apps/default/web, /registry/nodes/n1 */
  keyPrefix(r: ResourceType, namespace?: string): string {
    const res = r.group ? `${r.plural}.${r.group}` : r.plural;
    if (!r.namespaced || namespace === undefined) return `${this.prefix}/${res}/`;
    return `${this.prefix}/${res}/${namespace}/`;
  }

  key(r: ResourceType, namespace: string | undefined, name: string): string {
    return `${this.keyPrefix(r, r.namespaced ? (namespace ?? "") : undefined)}${name}`;
  }

  async get(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const res = await this.guard(() => this.kv.range({ key: this.key(r, namespace, name) }));
    const kv = res.kvs[0];
    return kv ? decode(kv) : undefined;
  }

  async getOrThrow(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.get(r, namespace, name);
    if (!obj) throw notFound(r, name);
    return obj;
  }

  async list(r: ResourceType, opts: ListOptions = {}): Promise<ListPage> {
    const prefix = this.keyPrefix(r, opts.namespace);
    const end = prefixEnd(prefix);
    let start = prefix;
    let revision = 0;
    if (opts.continueToken) {
      const tok = parseContinue(opts.continueToken);
      if (!tok.start.startsWith(prefix))
        throw new ApiError(400, "BadRequest", "continue token does not match this list");
      start = tok.start;
      revision = tok.rev;
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Number.POSITIVE_INFINITY;
    const items: KubeObject[] = [];
    for (;;) {
      const batch = Number.isFinite(limit) ? Math.max(PAGE, limit) : 10_000;
      // A continued list reads the same revision as its first page (a consistent snapshot).
      const at = revision;
      const res = await this.guard(
        () => this.kv.range({ key: start, rangeEnd: end, limit: batch, revision: at }),
        at,
      );
      if (!revision) revision = res.revision;
      let lastKey = "";
      for (const kv of res.kvs) {
        lastKey = kv.key;
        const obj = decode(kv);
        if (opts.filter && !opts.filter(obj)) continue;
        items.push(obj);
        if (items.length >= limit) {
          const more = res.more || kv !== res.kvs[res.kvs.length - 1];
          if (more) {
            return {
              items,
              revision,
              continueToken: makeContinue({ rev: revision, start: `${lastKey}\0` }),
            };
          }
          return { items, revision };
        }
      }
      if (!res.more || res.kvs.length === 0) return { items, revision };
      start = `${lastKey}\0`;
    }
  }

  /**
   * Creates the object; AlreadyExists when the key is taken. Returns the object with its
   * resourceVersion. With `ttlSeconds` the key expires on its own (events, as Kubernetes' --event-ttl).
   */
  async create(r: ResourceType, obj: KubeObject, ttlSeconds?: number): Promise<KubeObject> {
    const key = this.key(r, obj.metadata.namespace, obj.metadata.name!);
    const lease = ttlSeconds ? await this.leaseFor(ttlSeconds) : undefined;
    const res = await this.guard(() =>
      this.kv.txn({
        compare: [{ key, target: "Create", equals: 0 }],
        success: [{ put: { key, value: encode(obj), lease } }],
      }),
    );
    if (!res.succeeded) throw alreadyExists(r, obj.metadata.name!);
    return withRv(obj, res.revision);
  }

  /**
   * Replaces the object if its mod revision is still `expectedRv`; Conflict otherwise. With
   * `whileExists`, only if that other object exists too, checked in the same transaction (a pod
   * is bound only to a node that is there when the bind commits): NotFound for it otherwise.
   */
  async update(
    r: ResourceType,
    obj: KubeObject,
    expectedRv: number,
    opts: { ttlSeconds?: number; whileExists?: ObjectRef } = {},
  ): Promise<KubeObject> {
    const key = this.key(r, obj.metadata.namespace, obj.metadata.name!);
    // An expiring object's clock restarts with each update (a repeated event lives on).
    const lease = opts.ttlSeconds ? await this.leaseFor(opts.ttlSeconds) : undefined;
    const put = { put: { key, value: encode(obj), lease } };
    return this.compareAndSwap(r, obj, expectedRv, put, opts.whileExists);
  }

  private lease: { id: Promise<string>; ttl: number; until: number } | undefined;

  /**
   * One etcd lease serves every expiring write for a minute (as kube-apiserver's lease reuse), so
   * a burst of events costs one grant, and each key lives at least `ttlSeconds`.
   */
  private leaseFor(ttlSeconds: number): Promise<string> {
    const now = Date.now();
    if (this.lease && this.lease.ttl === ttlSeconds && now < this.lease.until) return this.lease.id;
    const reuseMs = 60_000;
    const grant = this.guard(() => this.kv.leaseGrant(ttlSeconds + reuseMs / 1000));
    this.lease = { id: grant, ttl: ttlSeconds, until: now + reuseMs };
    grant.catch(() => {
      if (this.lease?.id === grant) this.lease = undefined;
    });
    return grant;
  }

  /** Deletes the object if its mod revision is still `expectedRv`. Returns the last state. */
  async delete(r: ResourceType, obj: KubeObject, expectedRv: number): Promise<KubeObject> {
    const key = this.key(r, obj.metadata.namespace, obj.metadata.name!);
    return this.compareAndSwap(r, obj, expectedRv, { deleteRange: { key } });
  }

  /**
   * Runs `op` only if the key's mod revision is `expectedRv` (and `whileExists` exists): Conflict
   * if it moved, NotFound for whichever is gone.
   */
  private async compareAndSwap(
    r: ResourceType,
    obj: KubeObject,
    expectedRv: number,
    op: RequestOp,
    whileExists?: ObjectRef,
  ): Promise<KubeObject> {
    const name = obj.metadata.name!;
    const key = this.key(r, obj.metadata.namespace, name);
    const other = whileExists && this.key(whileExists.r, whileExists.namespace, whileExists.name);
    const res = await this.guard(() =>
      this.kv.txn({
        compare: [
          { key, target: "Mod", equals: expectedRv },
          ...(other ? [{ key: other, target: "Create" as const, equals: 0, notEqual: true }] : []),
        ],
        success: [op],
        // keys_only would do, but a missing key must be told from a moved one.
        failure: [{ range: { key } }, ...(other ? [{ range: { key: other } }] : [])],
      }),
    );
    if (!res.succeeded) {
      const found = res.responses[0]?.range?.kvs.length;
      if (!found) throw notFound(r, name);
      if (whileExists && !res.responses[1]?.range?.kvs.length)
        throw notFound(whileExists.r, whileExists.name);
      throw conflict(r, name);
    }
    return withRv(obj, res.revision);
  }

  async revision(): Promise<number> {
    const res = await this.guard(() => this.kv.range({ key: `${this.prefix}/` }));
    return res.revision;
  }

  /**
   * One etcd watch over every object of a resource type, from `fromRevision` (inclusive), on the
   * lean Watch stream (etcd-watch.ts), which resumes by itself across etcd restarts.
   *
   * Without prev_kv: with it etcd reads each event's previous value back from its backend, a
   * read that on etcd 3.4 copies the whole uncommitted write buffer, once per event. A put made
   * the key when its create revision is its mod revision (as Kubernetes' etcd3 watcher tells
   * ADDED from MODIFIED); a delete's last state comes from the watch cache, which has every
   * object the watch can delete (it lists at the revision the watch starts from).
   */
  async watch(r: ResourceType, fromRevision: number, h: WatchHandlers): Promise<StorageWatch> {
    const prefix = this.keyPrefix(r);
    const sink: WatchSink = {
      events: (evs) => {
        for (const { type, kv } of evs) {
          if (type === "PUT") {
            h.put(decode(kv), kv.createRevision === kv.modRevision, kv.modRevision);
            continue;
          }
          const rest = kv.key.slice(prefix.length);
          const slash = r.namespaced ? rest.indexOf("/") : -1;
          if (slash < 0) h.delete(undefined, rest, kv.modRevision);
          else h.delete(rest.slice(0, slash), rest.slice(slash + 1), kv.modRevision);
        }
      },
      broken: (err) => h.broken(err),
      progress: (revision) => h.progress?.(revision),
    };
    const w = await this.guard(() =>
      EtcdWatch.start(
        this.kv,
        { key: prefix, rangeEnd: prefixEnd(prefix), startRevision: fromRevision },
        sink,
      ),
    );
    return Object.assign(async () => w.stop(), { requestProgress: () => w.requestProgress() });
  }

  /** Runs an etcd call; transport failures become StorageUnavailableError (503), compaction 410. */
  private async guard<T>(fn: () => Promise<T>, revision?: number): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const msg = err instanceof Error ? err.message : String(err);
      if (/compacted/i.test(msg)) {
        throw new ApiError(
          410,
          "Expired",
          `The provided continue parameter is too old to display a consistent list result (revision ${revision}). Start a new list without it.`,
        );
      }
      // etcd refuses a request over --max-request-bytes (1.5 MiB by default; its gRPC limit is that
      // plus 512 KiB): the object is too large to store, and retrying cannot help.
      if (/request is too large|larger than max/i.test(msg)) {
        throw new ApiError(
          413,
          "RequestEntityTooLarge",
          `the object is too large to store: etcd refused it (${msg}). Keep objects under 1.5 MiB, for example by moving large data into a volume or several ConfigMaps.`,
        );
      }
      throw new StorageUnavailableError(msg);
    }
  }
}

function encode(obj: KubeObject): string {
  // resourceVersion is never stored (it is the key's mod revision); a create's object has none.
  if (obj.metadata.resourceVersion === undefined) return JSON.stringify(obj);
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return JSON.stringify({ ...obj, metadata: meta });
}

function parse(value: Buffer): KubeObject {
  return JSON.parse(value.toString()) as KubeObject;
}

function decode(kv: KeyValue): KubeObject {
  // Just parsed, so ours to change in place (withRv copies the metadata of objects others hold).
  const obj = parse(kv.value);
  if (typeof obj.metadata !== "object" || obj.metadata === null) obj.metadata = {};
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

function withRv(obj: KubeObject, rv: number): KubeObject {
  obj.metadata = { ...obj.metadata, resourceVersion: String(rv) };
  return obj;
}

function prefixEnd(prefix: string): string {
  const b = Buffer.from(prefix);
  b[b.length - 1]! += 1;
  return b.toString();
}

function makeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url");
}

function parseContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, "base64url").toString()) as ContinueToken;
    if (typeof t.rev === "number" && typeof t.start === "string") return t;
  } catch {
    /* fall through */
  }
  throw new ApiError(400, "BadRequest", "continue key is not valid: start the list again without it");
}
