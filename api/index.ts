// The api package: Kubernetes-shaped types, their schema, defaults, validation, patching,
// quantities and selectors. Every other folder imports api/ only through this file.

export { CATALOG } from "./catalog/index.js";
export { applyDefaults } from "./defaults.js";
export * from "./meta.js";
export * from "./names.js";
export * from "./patch/index.js";
export * from "./quantity.js";
export * from "./resources.js";
export type * from "./schema.js";
export * from "./selectors.js";
export { checkAgainstSchema, type SchemaProblem } from "./strict.js";
export { type FieldError, validateCreate, validateUpdate } from "./validation/index.js";
