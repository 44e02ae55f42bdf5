// The scheduler package: import scheduler/ only through this file.

export { SchedulerCache } from "./cache.js";
export {
  buildSchedulerConfig,
  DEFAULT_PLUGINS,
  DEFAULT_SCHEDULER_NAME,
  defaultSchedulerConfig,
  parseSchedulerConfig,
  type SchedulerConfig,
} from "./config.js";
export { type Decision, DecisionLog } from "./decisions.js";
export { CycleState } from "./framework/cycle-state.js";
export { Framework } from "./framework/framework.js";
export * from "./framework/interface.js";
export { NodeInfo, podRequests } from "./framework/node-info.js";
export { ConfigError, type PluginFactory, type Registry } from "./framework/registry.js";
export { Status } from "./framework/status.js";
export { SchedulerMetrics } from "./metrics.js";
export { IN_TREE } from "./plugins/index.js";
export { type PendingCounts, SchedulingQueue } from "./queue/scheduling-queue.js";
export { type Binder, DEFAULT_MAX_BINDS_IN_FLIGHT, type EventSink, ScheduleOne } from "./schedule-one.js";
export { apiBinder, nodeChanges, Scheduler, type SchedulerOptions } from "./scheduler.js";
export { type SchedulerServer, startSchedulerServer } from "./server.js";
