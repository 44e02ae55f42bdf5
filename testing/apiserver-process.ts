// The API server as a real `k8ts apiserver` process on a real etcd, with a kubeconfig for it: what
// e2e tests drive with the real kubectl and the k8ts CLI. stop() ends both by process group.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderKubeconfig } from "../cli/cluster/index.js";
import { startEtcd } from "./etcd.js";
import { freePort } from "./ports.js";
import { startK8ts, waitHttpOk } from "./processes.js";

export interface ApiServerProcess {
  /** http://127.0.0.1:<port> */
  server: string;
  /** A kubeconfig file for `server` (namespace default), written into the given directory. */
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function startApiServerProcess(dir: string): Promise<ApiServerProcess> {
  const etcd = await startEtcd();
  const port = await freePort();
  const server = `http://127.0.0.1:${port}`;
  const apiserver = startK8ts(["apiserver", "--etcd-servers", etcd.endpoint, "--port", String(port)]);
  const stop = async () => {
    await apiserver.stop();
    await etcd.stop();
  };
  try {
    await waitHttpOk(`${server}/readyz`);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\napiserver output:\n${apiserver.output()}`);
  }
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, renderKubeconfig(server));
  return { server, kubeconfig, stop };
}
