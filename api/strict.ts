// Strict decoding: walks a decoded JSON value against the schema catalog, the way the API server's
// strict JSON decoder (sigs.k8s.io/json with DisallowUnknownFields) does when a request carries
// fieldValidation=Strict. Unknown fields are reported by their JSON path with array indices
// (`unknown field "spec.containers[0].imagez"`); wrong JSON types are reported as encoding/json words
// them (`json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort
// of type int32`). With prune, unknown fields are deleted in place (fieldValidation=Ignore/Warn).

import { CATALOG } from "./catalog/index.js";
import { Quantity } from "./quantity.js";
import type { FieldSchema, StructSchema } from "./schema.js";

export interface SchemaProblem {
  /** JSON path with indices: "spec.containers[0].imagez". */
  path: string;
  kind: "unknown" | "type";
  /** The Kubernetes text: `unknown field "spec.foo"` or the encoding/json type error. */
  message: string;
}

export interface CheckOptions {
  /** Delete unknown fields in place (fieldValidation=Ignore or Warn). */
  prune?: boolean;
}

// Fields declared int64 in k8s.io/api; every other integer is int32 (only the printed Go type differs).
const INT64_FIELDS = new Set([
  "generation",
  "deletionGracePeriodSeconds",
  "terminationGracePeriodSeconds",
  "activeDeadlineSeconds",
  "runAsUser",
  "runAsGroup",
  "fsGroup",
  "supplementalGroups",
  "tolerationSeconds",
  "gracePeriodSeconds",
  "observedGeneration",
  "remainingItemCount",
  "expirationSeconds",
  "sizeBytes",
  "collisionCount",
]);

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64_CHAR = /[A-Za-z0-9+/]/;

interface Where {
  /** Display path with indices, for unknown-field messages. */
  path: string;
  /** Dotted JSON field names without indices, as encoding/json reports them. */
  goPath: string;
  /** Short Go name of the struct that declares the field ("ContainerPort"). */
  struct: string;
  field: string;
}

class Walker {
  readonly problems: SchemaProblem[] = [];
  constructor(private readonly prune: boolean) {}

  struct(schema: StructSchema, value: unknown, path: string, goPath: string, topLevel: boolean): void {
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const childPath = path ? `${path}.${key}` : key;
      const field = schema.fields[key];
      if (!field) {
        if (topLevel && (key === "apiVersion" || key === "kind")) continue;
        this.problems.push({ path: childPath, kind: "unknown", message: `unknown field "${childPath}"` });
        if (this.prune) delete obj[key];
        continue;
      }
      const childGoPath = goPath ? `${goPath}.${key}` : key;
      this.field(field, obj[key], {
        path: childPath,
        goPath: childGoPath,
        struct: shortName(schema.name),
        field: key,
      });
    }
  }

  private field(schema: FieldSchema, value: unknown, at: Where): void {
    if (value === null) return; // null decodes to the zero value in Go
    const message = this.check(schema, value, at);
    if (message) this.problems.push({ path: at.path, kind: "type", message });
  }

  /** Checks one value; returns the decoder's error message, or undefined (recursing into containers). */
  private check(schema: FieldSchema, value: unknown, at: Where): string | undefined {
    switch (schema.type) {
      case "string":
        if (typeof value !== "string") return mismatch(value, schema, at);
        if (schema.format === "byte") return base64Error(value);
        if (schema.format === "date-time" && value !== "" && !RFC3339.test(value)) {
          return `parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse`;
        }
        return undefined;
      case "integer":
        if (typeof value !== "number") return mismatch(value, schema, at);
        return Number.isInteger(value) ? undefined : mismatch(value, schema, at, `number ${value}`);
      case "number":
        return typeof value === "number" ? undefined : mismatch(value, schema, at);
      case "boolean":
        return typeof value === "boolean" ? undefined : mismatch(value, schema, at);
      case "int-or-string":
        if (typeof value === "string" || (typeof value === "number" && Number.isInteger(value)))
          return undefined;
        return mismatch(value, schema, at);
      case "quantity":
        if (typeof value !== "string" && typeof value !== "number") return mismatch(value, schema, at);
        // resource.Quantity's UnmarshalJSON returns the parse error itself.
        try {
          Quantity.parse(value);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      case "object": {
        const target = CATALOG.get(schema.ref);
        if (!target) throw new Error(`schema catalog: unknown struct ${schema.ref}`);
        if (!isPlainObject(value)) return mismatch(value, schema, at);
        this.struct(target, value, at.path, at.goPath, false);
        return undefined;
      }
      case "map":
        if (!isPlainObject(value)) return mismatch(value, schema, at);
        for (const [k, v] of Object.entries(value))
          this.field(schema.values, v, { ...at, path: `${at.path}.${k}` });
        return undefined;
      case "array":
        if (!Array.isArray(value)) return mismatch(value, schema, at);
        value.forEach((item, i) => {
          this.field(schema.items, item, { ...at, path: `${at.path}[${i}]` });
        });
        return undefined;
      case "any":
        return undefined;
    }
  }
}

/** encoding/base64 StdEncoding: the alphabet, "=" padding only at the end, length a multiple of 4. */
function base64Error(value: string): string | undefined {
  const body = value.replace(/={1,2}$/, "");
  for (let i = 0; i < body.length; i++) {
    if (!BASE64_CHAR.test(body[i]!)) return `illegal base64 data at input byte ${i}`;
  }
  return value.length % 4 === 0 ? undefined : `illegal base64 data at input byte ${value.length}`;
}

function mismatch(value: unknown, schema: FieldSchema, at: Where, what = jsonKind(value)): string {
  return `json: cannot unmarshal ${what} into Go struct field ${at.struct}.${at.goPath} of type ${goType(schema, at.field)}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  if (typeof v === "boolean") return "bool";
  return typeof v; // "string" | "number"
}

function shortName(structName: string): string {
  return structName.slice(structName.lastIndexOf(".") + 1);
}

/** The Go type encoding/json names in its message ("int32", "[]v1.Container", "map[string]string"). */
function goType(schema: FieldSchema, field: string): string {
  switch (schema.type) {
    case "string":
      if (schema.format === "date-time") return "v1.Time";
      return schema.format === "byte" ? "[]uint8" : "string";
    case "integer":
      return INT64_FIELDS.has(field) ? "int64" : "int32";
    case "number":
      return "float64";
    case "boolean":
      return "bool";
    case "int-or-string":
      return "intstr.IntOrString";
    case "quantity":
      return "resource.Quantity";
    case "object": {
      const parts = schema.ref.split(".");
      return `${parts.at(-2)}.${parts.at(-1)}`;
    }
    case "map":
      return `map[string]${goType(schema.values, field)}`;
    case "array":
      return `[]${goType(schema.items, field)}`;
    case "any":
      return "interface {}";
  }
}

/**
 * Checks a decoded object against the catalog struct `structName` (a root such as
 * "io.k8s.api.core.v1.Pod"). apiVersion and kind are always allowed at the top level.
 */
export function checkAgainstSchema(
  structName: string,
  value: unknown,
  opts: CheckOptions = {},
): SchemaProblem[] {
  const schema = CATALOG.get(structName);
  if (!schema) throw new Error(`schema catalog: unknown struct ${structName}`);
  const walker = new Walker(opts.prune ?? false);
  if (!isPlainObject(value)) {
    return [
      {
        path: "",
        kind: "type",
        message: `json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType({ type: "object", ref: structName }, "")}`,
      },
    ];
  }
  walker.struct(schema, value, "", "", true);
  return walker.problems;
}

/**
 * Duplicate object keys in a JSON text, as strict decoding reports them: each entry is the message
 * `duplicate field "metadata.name"` (the path as in unknown-field messages); [] for none. Meant for
 * text that JSON.parse accepted; on malformed text it stops at the end without throwing.
 */
export function findDuplicateKeys(json: string): string[] {
  // Every create and update body passes through here, so it is one pass over char codes that
  // builds a field's path only for a duplicate, and compares an object's keys in a list reused
  // per depth (objects in API bodies have few keys).
  const found: string[] = [];
  /** The keys and array indexes leading to the value being read. */
  const path: (string | number)[] = [];
  const keysAt: string[][] = [];
  const n = json.length;
  let i = 0;
  const ws = () => {
    for (
      let c = json.charCodeAt(i);
      c === SPACE || c === NL || c === CR || c === TAB;
      c = json.charCodeAt(++i)
    );
  };
  /** Skips a string; true when it holds an escape (so its text needs decoding). */
  const skipString = (): boolean => {
    let escaped = false;
    i++; // opening quote
    for (let c = json.charCodeAt(i); i < n && c !== QUOTE; c = json.charCodeAt(i)) {
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
      } else i++;
    }
    i++;
    return escaped;
  };
  const readString = (): string => {
    const start = i;
    if (!skipString()) return json.slice(start + 1, i - 1);
    try {
      return JSON.parse(json.slice(start, i)) as string;
    } catch {
      return json.slice(start + 1, i - 1);
    }
  };
  const pathText = () =>
    path.reduce<string>((out, p) => (typeof p === "number" ? `${out}[${p}]` : out ? `${out}.${p}` : p), "");
  const value = (): void => {
    ws();
    const c = json.charCodeAt(i);
    if (c === OPEN_BRACE) {
      i++;
      ws();
      if (json.charCodeAt(i) === CLOSE_BRACE) {
        i++;
        return;
      }
      const depth = path.length;
      let keys = keysAt[depth];
      if (keys) keys.length = 0;
      else {
        keys = [];
        keysAt[depth] = keys;
      }
      let many: Set<string> | undefined;
      while (i < n) {
        ws();
        const key = readString();
        path.push(key);
        // A list while short; a set beyond, so an object of many keys (a large ConfigMap) stays linear.
        if (many === undefined && keys.length >= MANY_KEYS) many = new Set(keys);
        if (many ? many.has(key) : keys.includes(key)) found.push(`duplicate field "${pathText()}"`);
        else if (many) many.add(key);
        else keys.push(key);
        ws();
        i++; // ":"
        value();
        path.pop();
        ws();
        if (json.charCodeAt(i++) === CLOSE_BRACE) return;
      }
      return;
    }
    if (c === OPEN_BRACKET) {
      i++;
      ws();
      if (json.charCodeAt(i) === CLOSE_BRACKET) {
        i++;
        return;
      }
      for (let k = 0; i < n; k++) {
        path.push(k);
        value();
        path.pop();
        ws();
        if (json.charCodeAt(i++) === CLOSE_BRACKET) return;
      }
      return;
    }
    if (c === QUOTE) {
      skipString();
      return;
    }
    // A number, true, false or null.
    for (let d = json.charCodeAt(i); i < n && !ENDS_SCALAR.has(d); d = json.charCodeAt(++i));
  };
  value();
  return found;
}

const [SPACE, NL, CR, TAB, QUOTE, BACKSLASH] = [0x20, 0x0a, 0x0d, 0x09, 0x22, 0x5c];
const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA] = [0x7b, 0x7d, 0x5b, 0x5d, 0x2c];
const MANY_KEYS = 16;
const ENDS_SCALAR = new Set([COMMA, CLOSE_BRACE, CLOSE_BRACKET, SPACE, NL, CR, TAB]);
