// Small constructors that keep the catalog files readable: one line per field, with the
// patchStrategy/patchMergeKey of the Go struct tag written next to the field it belongs to.

import type { FieldSchema, PatchStrategy, StructSchema } from "../schema.js";

export const str: FieldSchema = { type: "string" };
export const int: FieldSchema = { type: "integer" };
export const num: FieldSchema = { type: "number" };
export const bool: FieldSchema = { type: "boolean" };
export const quantity: FieldSchema = { type: "quantity" };
export const intOrString: FieldSchema = { type: "int-or-string" };
export const anyJSON: FieldSchema = { type: "any" };
export const time: FieldSchema = { type: "string", format: "date-time" };
export const bytes: FieldSchema = { type: "string", format: "byte" };

export function oneOf(...values: string[]): FieldSchema {
  return { type: "string", enum: values };
}

export function ref(name: string, patchStrategy?: PatchStrategy): FieldSchema {
  return patchStrategy ? { type: "object", ref: name, patchStrategy } : { type: "object", ref: name };
}

export function mapOf(values: FieldSchema): FieldSchema {
  return { type: "map", values };
}

export const stringMap = mapOf(str);
export const resourceList = mapOf(quantity);

/** A list replaced wholesale by strategic merge patch (no struct tag). */
export function listOf(items: FieldSchema): FieldSchema {
  return { type: "array", items };
}

/** A list merged by strategic merge patch: by `mergeKey`, or as a set of primitives without one. */
export function mergeList(
  items: FieldSchema,
  mergeKey?: string,
  strategy: PatchStrategy = "merge",
): FieldSchema {
  return mergeKey
    ? { type: "array", items, patchStrategy: strategy, patchMergeKey: mergeKey }
    : { type: "array", items, patchStrategy: strategy };
}

export const stringList = listOf(str);

export function struct(
  name: string,
  fields: Record<string, FieldSchema>,
  required?: readonly string[],
): StructSchema {
  return required ? { name, fields, required } : { name, fields };
}

/** A status condition (PodCondition, NodeCondition, DeploymentCondition ...) with its timestamp fields. */
export function conditionFields(...times: string[]): Record<string, FieldSchema> {
  return {
    type: str,
    status: str,
    ...Object.fromEntries(times.map((t) => [t, time])),
    reason: str,
    message: str,
  };
}

/** The apiVersion/kind/metadata envelope of a top-level object. */
export function objectEnvelope(): Record<string, FieldSchema> {
  return { apiVersion: str, kind: str, metadata: ref(META.ObjectMeta) };
}

const meta = (n: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${n}`;

export const META = {
  ObjectMeta: meta("ObjectMeta"),
  ListMeta: meta("ListMeta"),
  OwnerReference: meta("OwnerReference"),
  ManagedFieldsEntry: meta("ManagedFieldsEntry"),
  LabelSelector: meta("LabelSelector"),
  LabelSelectorRequirement: meta("LabelSelectorRequirement"),
  DeleteOptions: meta("DeleteOptions"),
  Preconditions: meta("Preconditions"),
} as const;

export const core = (n: string) => `io.k8s.api.core.v1.${n}`;
export const apps = (n: string) => `io.k8s.api.apps.v1.${n}`;
