// JSON merge patch (RFC 7386), the `application/merge-patch+json` body that `kubectl label`,
// `annotate`, `scale` and `patch --type=merge` send: members set to null are removed, objects
// merge recursively, anything else (arrays included) replaces the target value wholesale.
// Like Kubernetes' handler, a patch document that is not a JSON object is rejected.

import { copyJson, describeJson, isJsonObject, type JsonObject, ownValue, setOwn } from "./json-value.js";
import { PatchError } from "./patch-error.js";

export function mergePatch(original: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) {
    throw new PatchError(`a merge patch must be a JSON object, got ${describeJson(patch)}`);
  }
  return mergeInto(isJsonObject(original) ? copyJson(original) : {}, patch);
}

/** Applies `patch` to `target`, which the caller owns (a copy), and returns it. */
function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (isJsonObject(value)) {
      const current = ownValue(target, key);
      setOwn(target, key, mergeInto(isJsonObject(current) ? current : {}, value));
    } else {
      setOwn(target, key, copyJson(value));
    }
  }
  return target;
}
