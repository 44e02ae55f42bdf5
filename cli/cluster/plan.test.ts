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
    runtimes: [20000, 20001, 20002],
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

test("each node: a runtime-shim on its own socket, bridge and /24, then a node agent pointed at it", () => {
  const plan = planCluster(input);
  assert.deepEqual(plan.nodeNames, ["node-1", "node-2", "node-3"]);
  const rt = plan.processes.find((p) => p.name === "runtime-node-2")!;
  assert.equal(rt.wave, 2);
  const arg = (args: string[], flag: string) => args[args.indexOf(flag) + 1];
  assert.equal(arg(rt.args, "--listen"), "unix:///data/nodes/node-2/runtime.sock");
  assert.equal(arg(rt.args, "--pod-cidr"), "10.88.2.0/24");
  assert.match(arg(rt.args, "--cni-bridge")!, /^k8ts[0-9a-f]{4}n2$/);
  assert.ok(arg(rt.args, "--cni-bridge")!.length <= 15, "Linux interface names are at most 15 characters");
  const agent = plan.processes.find((p) => p.name === "nodeagent-node-2")!;
  assert.ok(agent.wave > rt.wave);
  assert.equal(arg(agent.args, "--runtime-endpoint"), "unix:///data/nodes/node-2/runtime.sock");
  assert.equal(arg(agent.args, "--port"), "10251");
  assert.equal(arg(agent.args, "--cpu"), "2");
  assert.deepEqual(agent.ready, { kind: "node", name: "node-2" });
  const bridges = plan.processes
    .filter((p) => p.name.startsWith("runtime-"))
    .map((p) => arg(p.args, "--cni-bridge"));
  assert.equal(new Set(bridges).size, 3);
});

test("the process runtime needs no bridge or CIDR", () => {
  const plan = planCluster({ ...input, runtime: "process" });
  const rt = plan.processes.find((p) => p.name === "runtime-node-1")!;
  assert.ok(!rt.args.includes("--pod-cidr"));
  assert.equal(rt.args[rt.args.indexOf("--backend") + 1], "process");
});
