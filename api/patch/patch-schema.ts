// What a strategic merge patch needs from the structural schema (api/schema.ts): the schema of a
// member, and how a list merges. These mirror the Go struct tags `patchStrategy` and
// `patchMergeKey` of k8s.io/api. A value the schema says nothing about (an unknown field, "any")
// gets the plain rules: objects merge, lists are replaced.

import type { FieldSchema, SchemaCatalog } from "../schema.js";

export type ValueSchema = FieldSchema | undefined;

export type ListStrategy = { merge: false } | { merge: true; mergeKey: string | undefined };

/** The schema of member `key` of an object described by `schema`. */
export function memberSchema(catalog: SchemaCatalog, schema: ValueSchema, key: string): ValueSchema {
  if (schema?.type === "map") return schema.values;
  if (schema?.type !== "object") return undefined;
  const struct = catalog.get(schema.ref);
  if (!struct) throw new Error(`the schema catalog has no struct ${schema.ref}`);
  return Object.hasOwn(struct.fields, key) ? struct.fields[key] : undefined;
}

/** The schema of the elements of a list described by `schema`. */
export function itemSchema(schema: ValueSchema): ValueSchema {
  return schema?.type === "array" ? schema.items : undefined;
}

/** patchStrategy "merge" (alone or with retainKeys) merges a list; every other list is replaced. */
export function listStrategy(schema: ValueSchema): ListStrategy {
  if (schema?.type !== "array" || !schema.patchStrategy?.split(",").includes("merge"))
    return { merge: false };
  return { merge: true, mergeKey: schema.patchMergeKey };
}

/** patchStrategy "replace" on a struct field: a patched value replaces the object instead of merging. */
export function replacesObject(schema: ValueSchema): boolean {
  return schema?.type === "object" && schema.patchStrategy === "replace";
}
