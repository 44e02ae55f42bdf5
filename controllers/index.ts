// The controllers package: the reconcilers (deployment, replicaset, garbage collector, node
// lifecycle) and the manager that runs them over shared informers. Import controllers/ only here.

export type { Recorder } from "./context.js";
export {
  CONTROLLER_NAMES,
  type ControllerName,
  type ManagerOptions,
  type RunningControllers,
  startControllers,
} from "./manager.js";
export { ControllerMetrics } from "./metrics.js";
export { NODE_LIFECYCLE_DEFAULTS, type NodeLifecycleOptions } from "./node-lifecycle.js";
export { type ManagerServer, serveManagerEndpoints } from "./server.js";
