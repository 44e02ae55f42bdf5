// The validation entry points; the rules live in validation/ (one file per kind or concern).
export * from "./validation/index.js";
