// The directive keys of a strategic merge patch (Kubernetes' strategicpatch package): instructions
// inside the patch document that are never data and never reach the stored object.
//   "$patch": "replace" | "delete" | "merge"      on an object or as a list element
//   "$retainKeys": [field...]                      clear every other field (union types)
//   "$setElementOrder/<field>": [element...]       the final order of a merge list
//   "$deleteFromPrimitiveList/<field>": [value...] values to drop from a merged primitive list

import { PatchError } from "./patch-error.js";

export const PATCH_DIRECTIVE = "$patch";
export const RETAIN_KEYS_DIRECTIVE = "$retainKeys";
const SET_ELEMENT_ORDER_PREFIX = "$setElementOrder";
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = "$deleteFromPrimitiveList";

export type DirectiveKey =
  | { kind: "patch" }
  | { kind: "retainKeys" }
  | { kind: "setElementOrder"; field: string }
  | { kind: "deleteFromPrimitiveList"; field: string };

/**
 * What a member key of a patch object means: a directive, or undefined for an ordinary field.
 * Other keys that start with "$" are ordinary fields here, as they are inside Kubernetes' maps;
 * validation of the patched object reports them as unknown fields.
 */
export function parseDirectiveKey(key: string): DirectiveKey | undefined {
  if (!key.startsWith("$")) return undefined;
  if (key === PATCH_DIRECTIVE) return { kind: "patch" };
  if (key === RETAIN_KEYS_DIRECTIVE) return { kind: "retainKeys" };
  for (const [prefix, kind] of [
    [SET_ELEMENT_ORDER_PREFIX, "setElementOrder"],
    [DELETE_FROM_PRIMITIVE_LIST_PREFIX, "deleteFromPrimitiveList"],
  ] as const) {
    if (!key.startsWith(prefix)) continue;
    const field = key.slice(prefix.length + 1);
    if (key[prefix.length] !== "/" || field === "") {
      throw new PatchError(`invalid patch directive ${JSON.stringify(key)}: expected "${prefix}/<field>"`);
    }
    return { kind, field };
  }
  return undefined;
}
