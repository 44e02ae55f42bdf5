// A Node object whose node agent (kubelet endpoint) is 127.0.0.1:<port>: where the API server sends
// the pods/exec, pods/log and port-forward requests of that node's pods.

import type { Node } from "../api/index.js";

export function nodeObjectAt(name: string, port: number): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name },
    status: {
      addresses: [{ type: "InternalIP", address: "127.0.0.1" }],
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
    },
  };
}
