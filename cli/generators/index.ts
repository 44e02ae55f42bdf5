// The objects `k8ts create <type> NAME` builds, as kubectl's generators build them.

export type { DataSources } from "./data-sources.js";
export {
  configMap,
  containerName,
  type DeploymentOptions,
  deployment,
  genericSecret,
  namespaceObject,
} from "./generators.js";
