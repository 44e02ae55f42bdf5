// A small structural schema of every supported type: one source for strict decoding (unknown
// fields are errors, with their path), for strategic merge patch (merge keys and strategies, the
// Go struct tags `patchStrategy`/`patchMergeKey` of k8s.io/api), and for the OpenAPI documents.
// The TypeScript interfaces in the type files describe the same shapes for the compiler.

export type PatchStrategy = "merge" | "replace" | "retainKeys" | "merge,retainKeys";

export type FieldSchema =
  | { type: "string"; enum?: readonly string[]; format?: "date-time" | "byte" }
  | { type: "integer" }
  | { type: "number" }
  | { type: "boolean" }
  /** IntOrString: a JSON number or a string (maxSurge: 1 or "25%"). */
  | { type: "int-or-string" }
  /** resource.Quantity: a string ("250m") or a JSON number (2). */
  | { type: "quantity" }
  /** A named struct from the catalog, e.g. "io.k8s.api.core.v1.Container". */
  | { type: "object"; ref: string; patchStrategy?: PatchStrategy }
  /** map[string]T, e.g. labels (values string) or resources.limits (values quantity). */
  | { type: "map"; values: FieldSchema }
  /** []T; for SMP: strategy "merge" with a merge key merges by key, without one it unions primitives. */
  | { type: "array"; items: FieldSchema; patchStrategy?: PatchStrategy; patchMergeKey?: string }
  /** Free-form JSON (managedFields.fieldsV1). */
  | { type: "any" };

export interface StructSchema {
  /** Fully qualified name, as OpenAPI names definitions: "io.k8s.api.core.v1.Pod". */
  name: string;
  fields: Record<string, FieldSchema>;
  /** Fields that must be present (for OpenAPI only; validation.ts gives the user-facing errors). */
  required?: readonly string[];
}

export type SchemaCatalog = ReadonlyMap<string, StructSchema>;
