import assert from "node:assert/strict";
import { test } from "node:test";
import { keyValues, planCluster } from "./plan.js";

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
  assert.deepEqual(api.ready, [{ kind: "http", url: "http://127.0.0.1:6443/readyz" }]);
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
  assert.deepEqual(agent.ready, [{ kind: "node", name: "node-2" }]);
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

test("node agents renew their lease every quarter of the controllers' grace period, at most every 10 s", () => {
  const arg = (args: string[], flag: string) => args[args.indexOf(flag) + 1];
  const timing = (graceMs?: number) => {
    const plan = planCluster({ ...input, nodeMonitorGracePeriodMs: graceMs });
    const controllers = plan.processes.find((p) => p.name === "controllers")!;
    const agents = plan.processes.filter((p) => p.name.startsWith("nodeagent-"));
    return {
      grace: controllers.args.includes("--node-monitor-grace-period")
        ? arg(controllers.args, "--node-monitor-grace-period")
        : undefined,
      leases: [...new Set(agents.map((a) => arg(a.args, "--node-lease-duration-seconds")))],
    };
  };
  assert.deepEqual(timing(), { grace: undefined, leases: ["40"] });
  assert.deepEqual(timing(6000), { grace: "6000ms", leases: ["6"] });
  assert.deepEqual(timing(10_500), { grace: "10500ms", leases: ["10"] });
  assert.deepEqual(timing(300_000), { grace: "300000ms", leases: ["40"] });
});

test("every k8ts component runs with a small young generation; all but the API server optimize for size", () => {
  const plan = planCluster(input);
  for (const p of plan.processes) {
    if (p.program === "etcd") {
      assert.equal(p.nodeFlags, undefined);
      continue;
    }
    assert.ok(p.nodeFlags?.includes("--max-semi-space-size=1"), p.name);
    assert.equal(p.nodeFlags?.includes("--optimize-for-size"), p.name !== "apiserver", p.name);
  }
  assert.ok(plan.processes.find((p) => p.name === "etcd")!.args.includes("--snapshot-count=10000"));
});

test("the nodes' pod CIDRs come from the cluster's block; the process runtime has none", () => {
  const plan = planCluster({ ...input, podBlock: 91 });
  assert.equal(plan.podNetwork, "10.91.0.0/16");
  const cidrs = plan.processes
    .filter((p) => p.name.startsWith("runtime-"))
    .map((p) => p.args[p.args.indexOf("--pod-cidr") + 1]);
  assert.deepEqual(cidrs, ["10.91.1.0/24", "10.91.2.0/24", "10.91.3.0/24"]);
  assert.equal(planCluster({ ...input, runtime: "process" }).podNetwork, undefined);
});

test("combined: etcd, one control-plane process, one worker per node", () => {
  const plan = planCluster({ ...input, combined: true });
  assert.deepEqual(
    plan.processes.map((p) => [p.name, p.wave, p.components?.map((c) => c.name)]),
    [
      ["etcd", 0, undefined],
      ["control-plane", 1, ["apiserver", "scheduler", "controllers"]],
      ["worker-node-1", 2, ["runtime-node-1", "nodeagent-node-1"]],
      ["worker-node-2", 2, ["runtime-node-2", "nodeagent-node-2"]],
      ["worker-node-3", 2, ["runtime-node-3", "nodeagent-node-3"]],
    ],
  );
  assert.equal(plan.processes.find((p) => p.name === "worker-node-2")!.node, "node-2");
});

test("combined: each hosted component gets the flags and log file it has alone", () => {
  const separate = planCluster(input);
  const combined = planCluster({ ...input, combined: true });
  const alone = new Map(separate.processes.map((p) => [p.name, p]));
  for (const host of combined.processes.filter((p) => p.components)) {
    for (const c of host.components!) {
      assert.deepEqual(c.args, alone.get(c.name)!.args, c.name);
      assert.deepEqual(c.nodeFlags, alone.get(c.name)!.nodeFlags, c.name);
      assert.equal(c.log, `/data/logs/${c.name}.log`);
    }
  }
  const cp = combined.processes.find((p) => p.name === "control-plane")!;
  const values = (flag: string) => cp.args.flatMap((a, i) => (cp.args[i - 1] === flag ? [a] : []));
  assert.equal(cp.args[0], "control-plane");
  assert.deepEqual(values("--apiserver-arg"), [
    "etcd-servers=http://127.0.0.1:2379",
    "bind-address=127.0.0.1",
    "port=6443",
  ]);
  assert.deepEqual(values("--scheduler-arg"), [
    "kubeconfig=/data/kubeconfig",
    "metrics-bind-address=127.0.0.1:10259",
  ]);
  assert.deepEqual(values("--controllers-log"), ["/data/logs/controllers.log"]);
  const worker = combined.processes.find((p) => p.name === "worker-node-1")!;
  assert.equal(worker.args[0], "worker");
  assert.ok(worker.args.includes("listen=unix:///data/nodes/node-1/runtime.sock"));
  assert.ok(worker.args.includes("runtime-endpoint=unix:///data/nodes/node-1/runtime.sock"));
  assert.deepEqual(
    worker.args.filter((_, i) => worker.args[i - 1] === "--nodeagent-log"),
    ["/data/logs/nodeagent-node-1.log"],
  );
});

test("combined: a process is ready when all its components are, and runs with the Node.js flags all of them take", () => {
  const plan = planCluster({ ...input, combined: true });
  const cp = plan.processes.find((p) => p.name === "control-plane")!;
  assert.deepEqual(
    cp.ready.map((r) => (r.kind === "http" ? r.url : r.name)),
    ["http://127.0.0.1:6443/readyz", "http://127.0.0.1:10259/healthz", "http://127.0.0.1:10257/healthz"],
  );
  // The API server runs without --optimize-for-size (node-flags.ts), so the process hosting it does too.
  assert.deepEqual(cp.nodeFlags, ["--max-semi-space-size=1", "--v8-pool-size=1"]);
  const worker = plan.processes.find((p) => p.name === "worker-node-3")!;
  assert.deepEqual(
    worker.ready.map((r) => (r.kind === "http" ? r.url : r.name)),
    ["http://127.0.0.1:20002/healthz", "node-3"],
  );
  assert.ok(worker.nodeFlags?.includes("--optimize-for-size"));
});

test("flags to key=value pairs, as `--<component>-arg` takes them", () => {
  const cases: [string[], string[]][] = [
    [[], []],
    [["--port", "6443"], ["port=6443"]],
    [
      ["--leader-elect", "--port", "0"],
      ["leader-elect", "port=0"],
    ],
    [
      ["--x=y", "--a", "b=c"],
      ["x=y", "a=b=c"],
    ],
    [["--last"], ["last"]],
  ];
  for (const [flags, kv] of cases) assert.deepEqual(keyValues(flags), kv, flags.join(" "));
});
