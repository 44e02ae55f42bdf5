// The api package: Kubernetes-shaped types, their schema, defaults, validation, patching,
// quantities and selectors. Every other folder imports api/ only through this file.

export type * from "./apps-v1.js";
export { CATALOG } from "./catalog/index.js";
export type * from "./coordination-v1.js";
export type * from "./core-v1.js";
export { applyDefaults } from "./defaults.js";
export * from "./meta.js";
export * from "./names.js";
export * from "./patch/index.js";
export type * from "./policy-v1.js";
export * from "./quantity.js";
export * from "./resources.js";
export type * from "./schema.js";
export * from "./selectors.js";
export * from "./status.js";
export { checkAgainstSchema, findDuplicateKeys, type SchemaProblem } from "./strict.js";
export { type FieldError, validateCreate, validateStatusUpdate, validateUpdate } from "./validation/index.js";
export { parseYaml } from "./yaml.js";
