// The client package: how every component talks to the API server. Import client/ only through
// this file. (fake-api-server.ts is test support and deliberately not exported.)

export { Backoff, type BackoffOptions, delayFor, KeyedBackoff } from "./backoff.js";
export {
  Indexer,
  type Indexers,
  type IndexFunc,
  NAMESPACE_INDEX,
  namespaceIndex,
  objectKey,
  type Store,
  splitKey,
} from "./cache.js";
export { type Clock, FakeClock, realClock, sleep } from "./clock.js";
export {
  Controller,
  type ControllerObserver,
  type ControllerOptions,
  enqueueOnEvents,
  type QueueAction,
  queueActionFor,
  type ReconcileOutcome,
  type ReconcileResult,
  type Reconciler,
} from "./controller.js";
export {
  ApiError,
  isAlreadyExists,
  isConflict,
  isGone,
  isInvalid,
  isNetworkError,
  isNotFound,
} from "./errors.js";
export {
  EventRecorder,
  type EventRecorderOptions,
  type EventSource,
  type EventType,
} from "./event-recorder.js";
export {
  type EventHandlers,
  Informer,
  type InformerOptions,
  type ListerWatcher,
  listerWatcherFor,
} from "./informer.js";
export { InformerFactory, type InformerFactoryOptions, type InformerScope } from "./informer-factory.js";
export {
  type ClientConfig,
  clientConfigFrom,
  type Kubeconfig,
  KubeconfigError,
  kubeconfigPaths,
  type LoadOptions,
  loadKubeconfig,
  NO_KUBECONFIG,
  parseKubeconfig,
  resolveClientConfig,
} from "./kubeconfig.js";
export {
  formatMicroTime,
  type LeaderCallbacks,
  type LeaderElectionConfig,
  LeaderElectionConfigError,
  LeaderElector,
  type LeaseApi,
  leaseApiFor,
  parseMicroTime,
} from "./leader-election.js";
export {
  type DeleteCallOptions,
  type ListOptions,
  type ObjectOptions,
  type PatchOptions,
  type PatchType,
  type ResourceRef,
  RestClient,
  type RestClientOptions,
  resourcePath,
  type WatchOptions,
} from "./rest.js";
export { decodeWatchStream, WatchDecodeError, type WatchEventOf } from "./watch-stream.js";
export * from "./workqueue/index.js";
