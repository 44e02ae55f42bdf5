import assert from "node:assert/strict";
import { test } from "node:test";
import { planCluster } from "./plan.js";

const input = {
  dataDir: "/data",
  nodes: 3,
  nodeCpu: "2",
  nodeMemory: "4Gi",
  runtime: "runc" as const,
  ports: {
    etcdClient: 2379,
    etcdPeer: 2380,
    apiserver: 6443,
    scheduler: 10259,
    controllers: 10257,
    nodeAgents: [10250, 10251, 10252],
  },
};

test("etcd first, then the API server on it, then the components that read the kubeconfig", () => {
  const plan = planCluster(input);
  assert.equal(plan.etcdEndpoint, "http://127.0.0.1:2379");
  assert.equal(plan.apiserverUrl, "http://127.0.0.1:6443");
  const byName = new Map(plan.processes.map((p) => [p.name, p]));
  assert.equal(byName.get("etcd")!.wave, 0);
  assert.ok(byName.get("etcd")!.args.includes("--data-dir=/data/etcd"));
  const api = byName.get("apiserver")!;
  assert.equal(api.wave, 1);
  assert.deepEqual(api.args.slice(0, 3), ["apiserver", "--etcd-servers", "http://127.0.0.1:2379"]);
  assert.deepEqual(api.ready, { kind: "http", url: "http://127.0.0.1:6443/readyz" });
  const sched = byName.get("scheduler")!;
  assert.ok(sched.wave > api.wave);
  assert.deepEqual(sched.args, [
    "scheduler",
    "--kubeconfig",
    "/data/kubeconfig",
    "--metrics-bind-address",
    "127.0.0.1:10259",
  ]);
});
