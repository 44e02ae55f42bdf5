// The three patch formats the API server applies to a stored object (Kubernetes' PATCH verb):
// JSON merge patch, JSON patch, and strategic merge patch driven by the structural schema.

export { jsonPatch } from "./json-patch.js";
export { mergePatch } from "./merge-patch.js";
export { PatchError, type PatchErrorReason } from "./patch-error.js";
export { strategicMergePatch } from "./strategic-merge-patch.js";
