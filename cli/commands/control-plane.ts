// `k8ts control-plane`: the API server, the scheduler and the controllers in one Node.js process
// (`k8ts up --combined` runs it). Each keeps its own flags, ports and log, and the scheduler and
// controllers still reach the API server over HTTP, as when they run apart.

import { hostCommand } from "../component-host.js";
import { start as apiserver } from "./apiserver.js";
import { start as controllers } from "./controllers.js";
import { start as scheduler } from "./scheduler.js";

export const command = hostCommand(
  "run the API server, scheduler and controllers in one process",
  [
    { name: "apiserver", start: apiserver },
    { name: "scheduler", start: scheduler },
    { name: "controllers", start: controllers },
  ],
  "--apiserver-arg port=6443",
);
