// Plain JSON values as JSON.parse returns them, and the few operations every patch format needs.
// Patches never share structure with their inputs: the API server goes on to mutate the result
// (resourceVersion, generation) and the original may be a cached object.

export type JsonObject = { [key: string]: unknown };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A deep copy of a JSON value (structuredClone keeps an own "__proto__" key as data). */
export function copyJson<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

/** The member `key` of `obj` if it is its own, never an inherited one such as "__proto__". */
export function ownValue(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Sets `obj[key]` as plain data, even for the key "__proto__" (which would otherwise set the prototype). */
export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** JSON equality as RFC 6902 `test` defines it: same type and value, objects by members, arrays in order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A short rendering of a value for error messages. */
export function describeJson(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
