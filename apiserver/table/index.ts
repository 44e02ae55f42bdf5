// Server-side Table printing (`kubectl get`): Kubernetes' columns and cell formats per resource.

export { formatAge } from "./human-duration.js";
export { type MediaRange, mediaRanges } from "./media-ranges.js";
export { type IncludeObject, type TableOptions, toTable } from "./to-table.js";
export { wantsTable } from "./wants-table.js";
