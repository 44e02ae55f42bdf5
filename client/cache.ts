// The informer's local cache: objects by key ("namespace/name", or "name" for cluster-scoped
// objects, as client-go's MetaNamespaceKeyFunc) plus secondary indexes, e.g. pods by spec.nodeName.
// Objects in the cache are shared with every reader: treat them as read-only and copy before changing.

import type { KubeObject } from "../api/index.js";

/** "namespace/name" for namespaced objects, "name" otherwise. */
export function objectKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata ?? {};
  if (!name) throw new TypeError("object has no metadata.name");
  return namespace ? `${namespace}/${name}` : name;
}

/** The inverse of objectKey. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf("/");
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The values an object is indexed under (none, one or several). */
export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

export const NAMESPACE_INDEX = "namespace";
export const namespaceIndex: IndexFunc<KubeObject> = (o) =>
  o.metadata.namespace ? [o.metadata.namespace] : [];

/** Reading side of the cache: what listers and controllers see. */
export interface Store<T> {
  get(key: string): T | undefined;
  list(): T[];
  keys(): string[];
  readonly size: number;
  /** Objects whose index `indexName` includes `value`. Throws for an index that was never declared. */
  byIndex(indexName: string, value: string): T[];
}

export class Indexer<T extends KubeObject> implements Store<T> {
  private readonly items = new Map<string, T>();
  /** index name → indexed value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  private readonly indexers: Indexers<T> = {};

  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers(indexers);
  }

  /** Declares more indexes; objects already cached are indexed at once. Redeclaring a name is an error. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indices.has(name)) throw new Error(`index "${name}" already exists`);
      this.indices.set(name, new Map());
      this.indexers[name] = fn;
      for (const [key, obj] of this.items) this.indexUnder(name, key, obj);
    }
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index "${indexName}" does not exist`);
    return [...(index.get(value) ?? [])].map((k) => this.items.get(k)!);
  }

  /** Adds or replaces; returns the object it replaced. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Removes by key; returns what was there. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private index(key: string, obj: T): void {
    for (const name of Object.keys(this.indexers)) this.indexUnder(name, key, obj);
  }

  private indexUnder(name: string, key: string, obj: T): void {
    const index = this.indices.get(name)!;
    for (const v of this.indexers[name]!(obj)) {
      const keys = index.get(v) ?? new Set<string>();
      keys.add(key);
      index.set(v, keys);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const keys = index.get(v);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(v);
      }
    }
  }
}
