// The patch client-side apply sends: a strategic merge patch computed from three versions of an
// object, as kubectl's CreateThreeWayMergePatch does:
//  - original: the last-applied-configuration annotation (what the file said last time),
//  - modified: the file now (with the new annotation),
//  - current:  the live object (with the server's defaults and other writers' changes).
// Changes and additions come from current → modified, ignoring fields only the server has (its
// defaults survive); deletions come from original → modified (a field removed from the file is
// removed from the object). Lists the schema marks patchStrategy=merge are diffed element by element
// by their merge key, with $setElementOrder, `$patch: delete` and $deleteFromPrimitiveList; objects
// marked retainKeys (a Deployment's strategy, volumes) get $retainKeys so a union member switched
// off in the file disappears. A pure function: the result is `{}` when nothing needs to change.

import type { FieldSchema, SchemaCatalog } from "../../api/index.js";

type Json = null | boolean | number | string | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };

type Schema = FieldSchema | undefined;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]))
    );
  }
  return false;
}

export function threeWayPatch(
  original: JsonObject | undefined,
  modified: JsonObject,
  current: JsonObject,
  catalog: SchemaCatalog,
  rootStruct: string,
): JsonObject {
  return new ThreeWay(catalog).object(original, modified, current, { type: "object", ref: rootStruct });
}

class ThreeWay {
  constructor(private readonly catalog: SchemaCatalog) {}

  private member(schema: Schema, key: string): Schema {
    if (schema?.type === "map") return schema.values;
    if (schema?.type !== "object") return undefined;
    return this.catalog.get(schema.ref)?.fields[key];
  }

  object(
    original: JsonObject | undefined,
    modified: JsonObject,
    current: JsonObject,
    schema: Schema,
  ): JsonObject {
    const patch: JsonObject = {};
    for (const [key, m] of Object.entries(modified)) {
      const c = current[key];
      const o = original?.[key];
      const fs = this.member(schema, key);
      if (c === undefined) {
        patch[key] = m;
      } else if (isObject(m) && isObject(c)) {
        if (fs?.type === "object" && fs.patchStrategy === "replace") {
          if (!jsonEqual(m, c)) patch[key] = m;
          continue;
        }
        const sub = this.object(isObject(o) ? o : undefined, m, c, fs);
        if (Object.keys(sub).length > 0) patch[key] = sub;
      } else if (Array.isArray(m) && Array.isArray(c)) {
        this.list(patch, key, Array.isArray(o) ? o : undefined, m, c, fs);
      } else if (!jsonEqual(m, c)) {
        patch[key] = m;
      }
    }
    // Deletions: what the file had last time and no longer has, if the object still has it.
    for (const key of Object.keys(original ?? {})) {
      if (!Object.hasOwn(modified, key) && Object.hasOwn(current, key)) patch[key] = null;
    }
    if (
      Object.keys(patch).length > 0 &&
      schema?.type === "object" &&
      schema.patchStrategy?.includes("retainKeys")
    ) {
      patch.$retainKeys = Object.keys(modified).sort();
    }
    return patch;
  }

  private list(
    patch: JsonObject,
    key: string,
    original: Json[] | undefined,
    modified: Json[],
    current: Json[],
    schema: Schema,
  ) {
    const merge = schema?.type === "array" && schema.patchStrategy?.split(",").includes("merge");
    if (!merge || schema?.type !== "array") {
      if (!jsonEqual(modified, current)) patch[key] = modified;
      return;
    }
    const mergeKey = schema.patchMergeKey;
    if (mergeKey === undefined) {
      this.primitiveList(patch, key, original, modified, current);
      return;
    }
    const keyed = (list: Json[] | undefined) => (list ?? []).filter(isObject);
    if (
      keyed(modified).length !== modified.length ||
      modified.some((e) => isObject(e) && e[mergeKey] === undefined)
    ) {
      // Elements without their merge key cannot be matched: send the whole list.
      if (!jsonEqual(modified, current)) patch[key] = modified;
      return;
    }
    const find = (list: Json[] | undefined, k: Json) => keyed(list).find((e) => jsonEqual(e[mergeKey], k));
    const items: Json[] = [];
    for (const m of keyed(modified)) {
      const k = m[mergeKey]!;
      const c = find(current, k);
      if (!c) {
        items.push(m);
        continue;
      }
      const sub = this.object(find(original, k), m, c, schema.items);
      if (Object.keys(sub).length > 0) items.push({ [mergeKey]: k, ...sub });
    }
    for (const o of keyed(original)) {
      const k = o[mergeKey]!;
      if (!find(modified, k) && find(current, k)) items.push({ $patch: "delete", [mergeKey]: k });
    }
    const wanted = keyed(modified).map((e) => e[mergeKey]!);
    const liveOrder = keyed(current)
      .map((e) => e[mergeKey]!)
      .filter((k) => wanted.some((w) => jsonEqual(w, k)));
    const reordered = liveOrder.length === wanted.length && !jsonEqual(liveOrder, wanted);
    if (items.length > 0 || reordered) {
      patch[`$setElementOrder/${key}`] = wanted.map((k) => ({ [mergeKey]: k }));
      if (items.length > 0) patch[key] = items;
    }
  }

  /** A merged list of primitives (finalizers): a set; additions listed, removals by directive. */
  private primitiveList(
    patch: JsonObject,
    key: string,
    original: Json[] | undefined,
    modified: Json[],
    current: Json[],
  ) {
    const has = (list: Json[] | undefined, v: Json) => (list ?? []).some((x) => jsonEqual(x, v));
    const added = modified.filter((v) => !has(current, v));
    const removed = (original ?? []).filter((v) => !has(modified, v) && has(current, v));
    if (added.length === 0 && removed.length === 0) return;
    patch[`$setElementOrder/${key}`] = modified;
    if (added.length > 0) patch[key] = added;
    if (removed.length > 0) patch[`$deleteFromPrimitiveList/${key}`] = removed;
  }
}
