// `k8ts up --combined`: the same scenario on a cluster of four processes (etcd, one control plane,
// one worker per node), which must behave the same to kubectl and to `k8ts status|node|down`.

import { clusterScenario } from "./cluster-scenario.js";

clusterScenario("combined");
