// A real API server on a real etcd for integration tests, in this process or as a child process.

import { type ApiServer, startApiServer } from "../apiserver/index.js";
import { startEtcd, type TestEtcd } from "./etcd.js";

export interface TestCluster {
  etcd: TestEtcd;
  apiserver: ApiServer;
  url: string;
  stop(): Promise<void>;
}

/** etcd + API server (in-process, on a free port). Stop it in a finally/after hook. */
export async function startTestApiServer(): Promise<TestCluster> {
  const etcd = await startEtcd();
  let apiserver: ApiServer;
  try {
    apiserver = await startApiServer({ etcdServers: [etcd.endpoint], port: 0 });
  } catch (err) {
    await etcd.stop();
    throw err;
  }
  return {
    etcd,
    apiserver,
    url: apiserver.url,
    async stop() {
      await apiserver.close().catch(() => {});
      await etcd.stop();
    },
  };
}
