// Free TCP ports on 127.0.0.1 for tests: the same helper `k8ts up` uses.
export { freePort } from "../cli/cluster/ports.js";
