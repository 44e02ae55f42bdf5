// `k8ts worker`: one node's runtime-shim and node agent in one Node.js process (`k8ts up
// --combined` runs one per node; k0s names its node process the same). The agent still reaches the
// shim over the gRPC unix socket, and the shim's containers outlive the process as they outlive a
// shim run alone.

import { hostCommand } from "../component-host.js";
import { start as nodeagent } from "./nodeagent.js";
import { start as runtimeShim } from "./runtime-shim.js";

export const command = hostCommand(
  "run a node's runtime-shim and node agent in one process",
  [
    { name: "runtime-shim", start: runtimeShim },
    { name: "nodeagent", start: nodeagent },
  ],
  "--nodeagent-arg node-name=node-1",
);
