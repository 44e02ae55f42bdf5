// JSON patch (RFC 6902), the `application/json-patch+json` body of `kubectl rollout undo` and
// `kubectl patch --type=json`: a list of operations applied in order to a copy of the object, so
// that a failure anywhere leaves nothing changed. As in Kubernetes' patch handler, a list that is
// not well formed is BadRequest; a well-formed operation that does not apply (missing path,
// failing `test`) is Invalid (HTTP 422).

import { arrayIndex, formatJsonPointer, type JsonPointer, parseJsonPointer } from "./json-pointer.js";
import {
  copyJson,
  describeJson,
  isJsonObject,
  type JsonObject,
  jsonEqual,
  ownValue,
  setOwn,
} from "./json-value.js";
import { PatchError } from "./patch-error.js";

export type JsonPatchOperation =
  | { op: "add" | "replace" | "test"; path: JsonPointer; value: unknown }
  | { op: "remove"; path: JsonPointer }
  | { op: "move" | "copy"; from: JsonPointer; path: JsonPointer };

export function jsonPatch(original: unknown, ops: unknown): unknown {
  const operations = parseJsonPatch(ops);
  let doc = copyJson(original);
  operations.forEach((operation, i) => {
    try {
      doc = applyOperation(doc, operation);
    } catch (err) {
      if (!(err instanceof PatchError)) throw err;
      const where = `operation ${i} (${operation.op} ${formatJsonPointer(operation.path)})`;
      throw new PatchError(`json patch ${where}: ${err.message}`, "Invalid");
    }
  });
  return doc;
}

/** Checks the shape of every operation before any is applied. */
export function parseJsonPatch(ops: unknown): JsonPatchOperation[] {
  if (!Array.isArray(ops)) {
    throw new PatchError(`a JSON patch must be an array of operations, got ${describeJson(ops)}`);
  }
  return ops.map((raw, i): JsonPatchOperation => {
    const bad = (why: string) => new PatchError(`json patch operation ${i}: ${why}`);
    if (!isJsonObject(raw)) throw bad(`must be an object, got ${describeJson(raw)}`);
    const pointer = (member: "path" | "from"): JsonPointer => {
      const text = ownValue(raw, member);
      if (typeof text !== "string") throw bad(`"${member}" must be a string`);
      return parseJsonPointer(text);
    };
    const op = ownValue(raw, "op");
    switch (op) {
      case "add":
      case "replace":
      case "test":
        // "value": null is a value; a missing "value" is not.
        if (!Object.hasOwn(raw, "value")) throw bad(`"${op}" needs a "value"`);
        return { op, path: pointer("path"), value: raw.value };
      case "remove":
        return { op, path: pointer("path") };
      case "move":
      case "copy":
        return { op, from: pointer("from"), path: pointer("path") };
      default:
        throw bad(`unknown op ${describeJson(op)} (want add, remove, replace, move, copy or test)`);
    }
  });
}

/** Applies one operation to `doc`, which the caller owns, and returns the new document. */
function applyOperation(doc: unknown, operation: JsonPatchOperation): unknown {
  switch (operation.op) {
    case "add":
      return add(doc, operation.path, copyJson(operation.value));
    case "remove":
      remove(doc, operation.path);
      return doc;
    case "replace":
      return replace(doc, operation.path, copyJson(operation.value));
    case "move": {
      const { from, path } = operation;
      if (path.length > from.length && from.every((t, i) => path[i] === t)) {
        throw new PatchError(`cannot move ${formatJsonPointer(from)} into one of its own children`);
      }
      const value = get(doc, from);
      if (from.length === path.length && from.every((t, i) => path[i] === t)) return doc;
      remove(doc, from);
      return add(doc, path, value);
    }
    case "copy":
      return add(doc, operation.path, copyJson(get(doc, operation.from)));
    case "test": {
      const actual = get(doc, operation.path);
      if (!jsonEqual(actual, operation.value)) {
        throw new PatchError(
          `test failed: the value is ${describeJson(actual)}, not ${describeJson(operation.value)}`,
        );
      }
      return doc;
    }
  }
}

/** The value at `path`; a missing path is an error. */
function get(doc: unknown, path: JsonPointer): unknown {
  let node = doc;
  for (const [i, token] of path.entries()) {
    node = child(node, token, path.slice(0, i + 1));
  }
  return node;
}

function child(node: unknown, token: string, at: JsonPointer): unknown {
  if (Array.isArray(node)) {
    const index = arrayIndex(token);
    if (index !== undefined && index < node.length) return node[index];
  } else if (isJsonObject(node) && Object.hasOwn(node, token)) {
    return node[token];
  }
  throw new PatchError(`path ${formatJsonPointer(at)} does not exist`);
}

function add(doc: unknown, path: JsonPointer, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = get(doc, path.slice(0, -1));
  const token = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = token === "-" ? parent.length : arrayIndex(token);
    if (index === undefined || index > parent.length) {
      throw new PatchError(`array index ${JSON.stringify(token)} is out of range 0..${parent.length}`);
    }
    parent.splice(index, 0, value);
  } else if (isJsonObject(parent)) {
    setOwn(parent, token, value);
  } else {
    throw new PatchError(
      `the parent of ${formatJsonPointer(path)} is ${describeJson(parent)}, not an object or array`,
    );
  }
  return doc;
}

/** Replaces the value at `path`, which must exist (RFC 6902 §4.3). */
function replace(doc: unknown, path: JsonPointer, value: unknown): unknown {
  if (path.length === 0) return value;
  get(doc, path);
  const parent = get(doc, path.slice(0, -1));
  const token = path[path.length - 1]!;
  if (Array.isArray(parent)) parent[arrayIndex(token)!] = value;
  else setOwn(parent as JsonObject, token, value);
  return doc;
}

/** Removes the value at `path`, which must exist (RFC 6902 §4.2). */
function remove(doc: unknown, path: JsonPointer): void {
  if (path.length === 0) throw new PatchError("cannot remove the whole document");
  get(doc, path);
  const parent = get(doc, path.slice(0, -1));
  const token = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(token)!, 1);
  else delete (parent as JsonObject)[token];
}
