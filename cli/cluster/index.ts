// Local clusters: bring up, stop and inspect the processes of a cluster on this machine.
export { down } from "./down.js";
export { type EtcdLayout, etcdArgs, etcdEnv } from "./etcd-args.js";
export { findBinary, missingBinaryMessage } from "./find-binary.js";
export { renderKubeconfig } from "./kubeconfig.js";
export { killNode, restartNode } from "./node.js";
export { gracePeriodProblem } from "./node-lease-timing.js";
export { type ClusterPlan, nodeName, type PlanInput, type ProcessSpec, planCluster } from "./plan.js";
export { type ClusterState, defaultDataDir, kubeconfigPath, readState, resolveDataDir } from "./state.js";
export { type StatusRow, status } from "./status.js";
export { ClusterError, type UpOptions, up } from "./up.js";
