// runtime-shim: the node's container runtime, a CRI-shaped gRPC service over a unix socket.
export type { Backend, BackendName } from "./backends/backend.js";
export { backendNames, createBackend, defaultBackend } from "./backends/registry.js";
export { buildBusyboxImage } from "./images/busybox.js";
export { ImageStore } from "./images/image-store.js";
export { importArchive } from "./images/import.js";
export { type RunningShim, type ShimOptions, startShim } from "./server.js";
export { teardown } from "./teardown.js";
