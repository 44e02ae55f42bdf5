// `k8ts up` as the issue asks for it: every component its own process (cluster-scenario.ts).

import { clusterScenario } from "./cluster-scenario.js";

clusterScenario("separate");
