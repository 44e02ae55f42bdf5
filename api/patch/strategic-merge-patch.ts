// Strategic merge patch, the `application/strategic-merge-patch+json` body `kubectl apply`,
// `edit`, `cordon`, `rollout restart` and `patch` send for built-in kinds. It is a JSON merge
// patch that reads the schema: lists tagged patchStrategy=merge are merged element by element
// (by their patchMergeKey, or as a set of primitives) instead of being replaced, and the patch
// may carry directives (patch-directives.ts). The semantics follow Kubernetes' server-side
// strategicpatch.StrategicMergeMapPatch; deliberate differences, all about never storing patch
// syntax:
//  - a value that is new to the object is merged into an empty one, so nulls and directives
//    inside it vanish (Kubernetes copies such a value verbatim);
//  - "$patch": "delete" on an object removes the member (Kubernetes leaves {} behind, which its
//    typed decoding then drops for maps) and "$patch": "merge" is accepted as the default;
//  - $deleteFromPrimitiveList for a list the object does not have deletes nothing.

import type { SchemaCatalog } from "../schema.js";
import {
  type Identity,
  identityOf,
  orderElements,
  partitionByPresence,
  sameElement,
} from "./element-order.js";
import {
  copyJson,
  describeJson,
  isJsonObject,
  type JsonObject,
  jsonEqual,
  ownValue,
  setOwn,
} from "./json-value.js";
import { PATCH_DIRECTIVE, parseDirectiveKey, RETAIN_KEYS_DIRECTIVE } from "./patch-directives.js";
import { PatchError } from "./patch-error.js";
import { itemSchema, listStrategy, memberSchema, replacesObject, type ValueSchema } from "./patch-schema.js";

/** The marker a merge returns when "$patch": "delete" removes the value. */
const DELETED = Symbol("deleted");
type Merged<T> = T | typeof DELETED;

export function strategicMergePatch(
  original: unknown,
  patch: unknown,
  catalog: SchemaCatalog,
  rootStruct: string,
): unknown {
  if (!catalog.has(rootStruct)) throw new Error(`the schema catalog has no struct ${rootStruct}`);
  if (!isJsonObject(patch)) {
    throw new PatchError(`a strategic merge patch must be a JSON object, got ${describeJson(patch)}`);
  }
  const target = isJsonObject(original) ? copyJson(original) : {};
  const merged = new StrategicMerge(catalog).object(target, patch, { type: "object", ref: rootStruct }, "");
  return merged === DELETED ? {} : merged;
}

/** One patch application. Every method mutates `target` values it owns (a copy of the original). */
class StrategicMerge {
  constructor(private readonly catalog: SchemaCatalog) {}

  /** Merges patch object `patch` into `target`, the object at `path`. */
  object(target: JsonObject, patch: JsonObject, schema: ValueSchema, path: string): Merged<JsonObject> {
    const directive = ownValue(patch, PATCH_DIRECTIVE);
    if (directive === "delete") return DELETED;
    if (directive === "replace") {
      const { [PATCH_DIRECTIVE]: _, ...rest } = patch;
      return this.object({}, rest, schema, path);
    }
    if (directive !== undefined && directive !== "merge") {
      throw new PatchError(
        `${at(path)}: unknown $patch directive ${describeJson(directive)} (want replace, delete or merge)`,
      );
    }
    this.retainKeys(target, patch, path);
    const ordered = this.setElementOrders(target, patch, schema, path);
    const deletions: [field: string, values: unknown][] = [];
    for (const [key, value] of Object.entries(patch)) {
      const directiveKey = parseDirectiveKey(key);
      if (directiveKey?.kind === "deleteFromPrimitiveList") deletions.push([directiveKey.field, value]);
      if (directiveKey || ordered.has(key)) continue;
      // null deletes; for a member the object does not have it is a no-op, never stored.
      const merged =
        value === null
          ? DELETED
          : this.value(
              ownValue(target, key),
              value,
              memberSchema(this.catalog, schema, key),
              join(path, key),
            );
      if (merged === DELETED) delete target[key];
      else setOwn(target, key, merged);
    }
    for (const [field, values] of deletions) this.deleteFromPrimitiveList(target, field, values, path);
    return target;
  }

  /** The new value of a member: objects and lists merge into the current value, scalars replace it. */
  value(current: unknown, patch: unknown, schema: ValueSchema, path: string): Merged<unknown> {
    if (isJsonObject(patch)) {
      const base = isJsonObject(current) && !replacesObject(schema) ? current : {};
      return this.object(base, patch, schema, path);
    }
    if (Array.isArray(patch)) return this.list(Array.isArray(current) ? current : [], patch, schema, path);
    return patch;
  }

  list(target: unknown[], patch: unknown[], schema: ValueSchema, path: string): unknown[] {
    const strategy = listStrategy(schema);
    if (!strategy.merge) return this.fresh(patch, itemSchema(schema), path);
    if (strategy.mergeKey === undefined) return mergePrimitives(target, patch, path);
    return this.mergeByKey(target, patch, strategy.mergeKey, itemSchema(schema), path);
  }

  /** A list that replaces the current one: its elements as new values (no nulls, no directives). */
  fresh(elements: readonly unknown[], items: ValueSchema, path: string): unknown[] {
    return elements.flatMap((element, i) => {
      const v = this.value(undefined, element, items, `${path}[${i}]`);
      return v === DELETED ? [] : [v];
    });
  }

  /** A list of objects merged by `mergeKey` (containers by name, ports by containerPort, ...). */
  mergeByKey(
    target: unknown[],
    patch: unknown[],
    mergeKey: string,
    items: ValueSchema,
    path: string,
  ): unknown[] {
    let server = target;
    let replace = false;
    const plain: JsonObject[] = [];
    for (const element of patch) {
      if (!isJsonObject(element)) {
        throw new PatchError(
          `${at(path)}: a list merged by "${mergeKey}" holds objects, got ${describeJson(element)}`,
        );
      }
      const directive = ownValue(element, PATCH_DIRECTIVE);
      if (directive === undefined) {
        plain.push(element);
      } else if (directive === "delete") {
        const key = keyOf(element, mergeKey, path);
        server = server.filter((e) => !(isJsonObject(e) && jsonEqual(ownValue(e, mergeKey), key)));
      } else if (directive === "replace") {
        replace = true;
      } else {
        throw new PatchError(
          `${at(path)}: unknown $patch directive ${describeJson(directive)} in a list element (want delete or replace)`,
        );
      }
    }
    // {"$patch": "replace"} as an element: the list becomes the patch's other elements.
    if (replace) return this.fresh(plain, items, path);
    const merged = [...server];
    for (const element of plain) {
      const key = keyOf(element, mergeKey, path);
      const elementPath = `${path}[${mergeKey}=${describeJson(key)}]`;
      const i = merged.findIndex((e) => isJsonObject(e) && jsonEqual(ownValue(e, mergeKey), key));
      const base = i >= 0 ? (merged[i] as JsonObject) : {};
      const value = this.object(base, element, items, elementPath) as JsonObject; // plain: no $patch
      if (i >= 0) merged[i] = value;
      else merged.push(value);
    }
    return orderByPatch(merged, plain, server, identityOf(mergeKey));
  }

  /** "$retainKeys": clear every member not listed (union types such as a volume's source). */
  retainKeys(target: JsonObject, patch: JsonObject, path: string): void {
    if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
    const keep = patch[RETAIN_KEYS_DIRECTIVE];
    if (!Array.isArray(keep) || !keep.every((k) => typeof k === "string")) {
      throw new PatchError(
        `${at(path)}: $retainKeys must be a list of field names, got ${describeJson(keep)}`,
      );
    }
    for (const [key, value] of Object.entries(patch)) {
      if (value !== null && !key.startsWith("$") && !keep.includes(key)) {
        throw new PatchError(
          `${at(path)}: the patch sets "${key}", which its $retainKeys list does not keep`,
        );
      }
    }
    for (const key of Object.keys(target)) if (!keep.includes(key)) delete target[key];
  }

  /**
   * "$setElementOrder/<field>": merges the field's list (if the patch has one), then puts the
   * named elements in the given order. Returns the fields it handled.
   */
  setElementOrders(target: JsonObject, patch: JsonObject, schema: ValueSchema, path: string): Set<string> {
    const handled = new Set<string>();
    for (const [key, order] of Object.entries(patch)) {
      const directive = parseDirectiveKey(key);
      if (directive?.kind !== "setElementOrder") continue;
      const { field } = directive;
      const fieldPath = join(path, field);
      const fieldSchema = memberSchema(this.catalog, schema, field);
      const strategy = listStrategy(fieldSchema);
      const mergeKey = strategy.merge ? strategy.mergeKey : undefined;
      const id = identityOf(mergeKey);
      if (!Array.isArray(order))
        throw new PatchError(`${at(path)}: ${key} must be a list, got ${describeJson(order)}`);
      if (mergeKey !== undefined && !order.every((e) => isJsonObject(e) && Object.hasOwn(e, mergeKey))) {
        throw new PatchError(`${at(path)}: every element of ${key} must name its "${mergeKey}"`);
      }
      const patchList = ownValue(patch, field);
      if (patchList !== undefined && !Array.isArray(patchList)) {
        throw new PatchError(`${at(fieldPath)}: ${key} needs a list here, got ${describeJson(patchList)}`);
      }
      if (patchList) checkOrderAgrees(patchList, order, id, fieldPath, key);
      const current = ownValue(target, field);
      const serverList = Array.isArray(current) ? current : undefined;
      if (!serverList && !patchList) continue;
      const merged = patchList ? this.list(serverList ?? [], patchList, fieldSchema, fieldPath) : serverList!;
      setOwn(target, field, orderByPatch(merged, order, serverList ?? [], id));
      handled.add(field);
    }
    return handled;
  }

  /** "$deleteFromPrimitiveList/<field>": drops the given values from a primitive list. */
  deleteFromPrimitiveList(target: JsonObject, field: string, values: unknown, path: string): void {
    if (!Array.isArray(values)) {
      throw new PatchError(
        `${at(path)}: $deleteFromPrimitiveList/${field} must be a list of values, got ${describeJson(values)}`,
      );
    }
    const current = ownValue(target, field);
    if (!Array.isArray(current)) return;
    setOwn(
      target,
      field,
      current.filter((v) => !values.some((d) => jsonEqual(d, v))),
    );
  }
}

/** A merge list without a key (finalizers, podCIDRs): an ordered set, the union of both lists. */
function mergePrimitives(target: readonly unknown[], patch: readonly unknown[], path: string): unknown[] {
  const merged: unknown[] = [];
  for (const v of [...target, ...patch]) {
    if (isJsonObject(v) || Array.isArray(v)) {
      throw new PatchError(
        `${at(path)}: a merge list without a merge key holds only primitives, got ${describeJson(v)}`,
      );
    }
    if (!merged.some((m) => jsonEqual(m, v))) merged.push(v);
  }
  return orderByPatch(merged, patch, target, identityOf(undefined));
}

/** Elements named in `order` follow it; the others keep their place from `serverOrder`. */
function orderByPatch(
  merged: readonly unknown[],
  order: readonly unknown[],
  serverOrder: readonly unknown[],
  id: Identity,
): unknown[] {
  const [named, serverOnly] = partitionByPresence(merged, order, id);
  return orderElements(named, serverOnly, order, serverOrder, id);
}

/**
 * The patch's own list must name its elements in the same relative order as $setElementOrder
 * (elements carrying a $patch directive take no part), as Kubernetes checks.
 */
function checkOrderAgrees(
  patchList: unknown[],
  order: unknown[],
  id: Identity,
  path: string,
  key: string,
): void {
  let j = 0;
  for (const element of patchList) {
    if (isJsonObject(element) && Object.hasOwn(element, PATCH_DIRECTIVE)) continue;
    while (j < order.length && !sameElement(element, order[j], id)) j++;
    if (j === order.length) {
      throw new PatchError(
        `${at(path)}: the patch lists ${describeJson(element)} out of the order ${key} gives`,
      );
    }
    j++;
  }
}

function keyOf(element: JsonObject, mergeKey: string, path: string): unknown {
  if (!Object.hasOwn(element, mergeKey)) {
    throw new PatchError(
      `${at(path)}: element ${describeJson(element)} does not contain the merge key "${mergeKey}"`,
    );
  }
  return element[mergeKey];
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function at(path: string): string {
  return path === "" ? "patch" : path;
}
