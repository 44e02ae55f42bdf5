// field.Error from k8s.io/apimachinery/pkg/util/validation/field: one problem with one field. The
// message is Kubernetes' ErrorBody ("Required value", `Invalid value: "x": detail`, ...), which the
// API server puts in a 422 Status cause as {reason: type, field, message}.

export type FieldErrorType =
  | "FieldValueRequired"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueDuplicate"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "FieldValueNotFound";

export interface FieldError {
  type: FieldErrorType;
  /** JSON path as Kubernetes prints it: "spec.containers[0].image", "metadata.labels". */
  field: string;
  message: string;
}

// ---- paths (field.Path.Child / Index / Key) ---------------------------------------------------

export function child(path: string, ...names: string[]): string {
  // Built on every field of every object validated: a plain loop, no arrays.
  let out = path;
  for (const n of names) {
    if (n === "") continue;
    out = out === "" ? n : `${out}.${n}`;
  }
  return out;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

// ---- how Go prints a bad value (%q for strings, %v for numbers, %#v for maps) -------------------

export function goValue(v: unknown): string {
  if (v === undefined || v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (!Array.isArray(v) && typeof v === "object" && Object.values(v).every((x) => typeof x === "string")) {
    const entries = Object.entries(v as Record<string, string>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(", ")}}`;
  }
  return JSON.stringify(v);
}

const withDetail = (body: string, detail?: string) => (detail ? `${body}: ${detail}` : body);

// ---- constructors, one per field.ErrorType --------------------------------------------------------

export function required(field: string, detail?: string): FieldError {
  return { type: "FieldValueRequired", field, message: withDetail("Required value", detail) };
}

export function invalid(field: string, value: unknown, detail?: string): FieldError {
  return {
    type: "FieldValueInvalid",
    field,
    message: withDetail(`Invalid value: ${goValue(value)}`, detail),
  };
}

export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const list = supported.map((s) => JSON.stringify(s)).join(", ");
  return {
    type: "FieldValueNotSupported",
    field,
    message: `Unsupported value: ${goValue(value)}: supported values: ${list}`,
  };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { type: "FieldValueDuplicate", field, message: `Duplicate value: ${goValue(value)}` };
}

export function forbidden(field: string, detail: string): FieldError {
  return { type: "FieldValueForbidden", field, message: withDetail("Forbidden", detail) };
}

export function tooLong(field: string, maxBytes: number): FieldError {
  return { type: "FieldValueTooLong", field, message: `Too long: may not be more than ${maxBytes} bytes` };
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  return { type: "FieldValueTooMany", field, message: `Too many: ${actual}: must have at most ${max} items` };
}

export function notFound(field: string, value: unknown): FieldError {
  return { type: "FieldValueNotFound", field, message: `Not found: ${goValue(value)}` };
}

/** Turns a checker's messages (names.ts) into one Invalid error, joined as Kubernetes joins them. */
export function invalidIf(field: string, value: unknown, messages: string[]): FieldError[] {
  return messages.length > 0 ? [invalid(field, value, messages.join("; "))] : [];
}

// ---- common numeric rules (ValidateNonnegativeField and friends) ---------------------------------

export function nonNegative(field: string, v: number | undefined): FieldError[] {
  return v !== undefined && v !== null && v < 0
    ? [invalid(field, v, "must be greater than or equal to 0")]
    : [];
}

export function positive(field: string, v: number | undefined): FieldError[] {
  return v !== undefined && v !== null && v <= 0 ? [invalid(field, v, "must be greater than 0")] : [];
}

export function inRange(field: string, v: number | undefined, min: number, max: number): FieldError[] {
  if (v === undefined || v === null || (v >= min && v <= max)) return [];
  return [invalid(field, v, `must be between ${min} and ${max}, inclusive`)];
}

/** A string field that must be one of `supported` when set (empty is left to `required`). */
export function oneOfIfSet(field: string, v: string | undefined, supported: readonly string[]): FieldError[] {
  return v && !supported.includes(v) ? [notSupported(field, v, supported)] : [];
}
