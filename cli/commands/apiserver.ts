// `k8ts apiserver`: the API server on an existing etcd.

import { startApiServer } from "../../apiserver/index.js";
import type { Command } from "../command.js";
import { aborted, runAlone, type StartComponent, untilStopped } from "../component.js";
import { intFlag, parseFlags } from "../flags.js";

const flags = {
  "etcd-servers": { type: "string", default: "http://127.0.0.1:2379" },
  "etcd-prefix": { type: "string", default: "/registry" },
  "bind-address": { type: "string", default: "127.0.0.1" },
  port: { type: "string", default: "6443" },
} as const;

export const command: Command = {
  summary: "run the API server (Kubernetes REST API on etcd)",
  usage: `Flags:
  --etcd-servers URLS   comma-separated etcd client URLs (default http://127.0.0.1:2379); for an
                        etcd serving TLS, https:// URLs, with its CA trusted through
                        NODE_EXTRA_CA_CERTS=ca.pem if it is not a public one
  --etcd-prefix PREFIX  key prefix in etcd (default /registry)
  --bind-address IP     address to listen on (default 127.0.0.1)
  --port N              port to listen on (default 6443; 0 picks a free one)`,
  run: (argv) => runAlone("apiserver", start, argv),
};

export const start: StartComponent = async (argv, { log, say }) => {
  const { values } = parseFlags(argv, flags);
  const server = await startApiServer({
    etcdServers: values["etcd-servers"]
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    etcdPrefix: values["etcd-prefix"],
    bindAddress: values["bind-address"],
    port: intFlag("port", values.port, 6443),
    log,
  });
  say(`apiserver listening on ${server.url}`);
  return untilStopped(async (stop) => {
    await aborted(stop);
    log({ level: "info", msg: "shutting down" });
    await server.close().catch(() => undefined);
    return 0;
  });
};
