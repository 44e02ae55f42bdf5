// A whole cluster as a newcomer gets it: `k8ts up` (etcd, API server, scheduler, controllers, and
// per node a runc runtime-shim and a node agent, all real processes), the real kubectl driving it,
// a node killed and its pods replaced elsewhere, and `k8ts down` leaving nothing behind.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { K8TS_MAIN, kubectlBinary, run, waitFor } from "../testing/index.js";

let dir: string;
let dataDir: string;
let env: NodeJS.ProcessEnv;

const k8ts = (...args: string[]) =>
  run(process.execPath, [K8TS_MAIN, ...args, "--data-dir", dataDir], { env, timeoutMs: 120_000 });
const kubectl = (...args: string[]) => run(kubectlBinary(), args, { env, timeoutMs: 30_000 });

interface PodView {
  name: string;
  node: string;
  phase: string;
  ready: boolean;
  deleting: boolean;
}

async function pods(selector: string): Promise<PodView[]> {
  const r = await kubectl("get", "pods", "-l", selector, "-o", "json");
  if (r.code !== 0) return [];
  const list = JSON.parse(r.stdout) as { items: any[] };
  return list.items.map((p) => ({
    name: p.metadata.name,
    node: p.spec.nodeName ?? "",
    phase: p.status?.phase ?? "",
    ready: (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True"),
    deleting: Boolean(p.metadata.deletionTimestamp),
  }));
}

function recordedPids(): number[] {
  const state = JSON.parse(readFileSync(join(dataDir, "cluster.json"), "utf8")) as {
    processes: { pid: number }[];
  };
  return state.processes.map((p) => p.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function processesUsing(path: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(path));
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "k8ts-cluster-"));
  dataDir = join(dir, "data");
  env = { ...process.env, KUBECONFIG: join(dataDir, "kubeconfig"), HOME: dir };
});

after(async () => {
  if (process.env.K8TS_KEEP_LOGS)
    cpSync(join(dataDir, "logs"), process.env.K8TS_KEEP_LOGS, { recursive: true });
  // Whatever happened, stop the cluster by its recorded PIDs.
  await run(process.execPath, [K8TS_MAIN, "down", "--data-dir", dataDir], { env, timeoutMs: 120_000 });
  rmSync(dir, { recursive: true, force: true });
});

test("k8ts up refuses a node grace period too short for several lease renewals, and starts nothing", async () => {
  const r = await k8ts("up", "--nodes", "2", "--node-monitor-grace-period", "2s");
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /--node-monitor-grace-period must be at least 4s, got 2000ms/);
  assert.ok(!existsSync(join(dataDir, "cluster.json")), "nothing was started");
});

test("k8ts up: a 2-node cluster, Ready, and a second up says it is running", async () => {
  const t0 = Date.now();
  const r = await k8ts(
    "up",
    "--nodes",
    "2",
    "--node-monitor-grace-period",
    "6s",
    "--pod-eviction-timeout",
    "2",
  );
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /k8ts cluster is up in/);
  assert.ok(Date.now() - t0 < 90_000);
  const nodes = await kubectl("get", "nodes");
  assert.match(nodes.stdout, /node-1\s+Ready/);
  assert.match(nodes.stdout, /node-2\s+Ready/);
  // The 6 s grace period: the agents' leases last 6 s and are renewed every 1.5 s.
  const lease = await kubectl("get", "lease", "-n", "kube-node-lease", "node-1", "-o", "json");
  assert.equal(lease.code, 0, lease.stderr);
  assert.equal(JSON.parse(lease.stdout).spec.leaseDurationSeconds, 6);
  const again = await k8ts("up", "--nodes", "2");
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /already running/);
  const st = await k8ts("status");
  assert.equal(st.code, 0, st.stdout);
  assert.match(st.stdout, /nodeagent-node-2\s+\d+\s+running/);
  assert.match(st.stdout, /Pod network 10\.\d+\.0\.0\/16/);
});

test("a Deployment runs, a deleted pod is replaced, a killed node's pods move to the other node", async () => {
  const manifest = join(dir, "app.yaml");
  writeFileSync(
    manifest,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 2
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: main
        image: busybox:latest
        command: ["sh", "-c", "echo up; exec sleep 3600"]
`,
  );
  const a = await kubectl("apply", "-f", manifest);
  assert.equal(a.code, 0, a.stderr);
  let seen: PodView[] = [];
  const running = () =>
    waitFor(
      async () => {
        const ps = (await pods("app=app")).filter((p) => !p.deleting);
        seen = ps;
        return ps.length === 2 && ps.every((p) => p.phase === "Running" && p.ready) ? ps : undefined;
      },
      { timeoutMs: 60_000, what: "2 running, ready app pods" },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last seen: ${JSON.stringify(seen)}`);
    });
  const first = await running();
  // Pod addresses come from the block `k8ts up` chose for this data dir, which `k8ts status` shows.
  const block = /Pod network 10\.(\d+)\.0\.0\/16/.exec((await k8ts("status")).stdout)?.[1];
  const ips = await kubectl("get", "pods", "-l", "app=app", "-o", "jsonpath={.items[*].status.podIP}");
  for (const ip of ips.stdout.trim().split(/\s+/))
    assert.match(ip, new RegExp(`^10\\.${block}\\.[12]\\.\\d+$`));
  const logs = await kubectl("logs", first[0]!.name);
  assert.equal(logs.stdout, "up\n");

  // A deleted pod is replaced by the ReplicaSet.
  const d = await kubectl("delete", "pod", first[0]!.name, "--wait=false");
  assert.equal(d.code, 0, d.stderr);
  await waitFor(
    async () => {
      const ps = (await pods("app=app")).filter((p) => !p.deleting && p.ready);
      return ps.length === 2 && !ps.some((p) => p.name === first[0]!.name);
    },
    { timeoutMs: 60_000, what: "the deleted pod to be replaced" },
  );

  // Kill the node that runs a pod; its pods come back on the other node.
  const now = await running();
  const victim = now[0]!.node;
  const survivor = victim === "node-1" ? "node-2" : "node-1";
  const k = await k8ts("node", "kill", victim);
  assert.equal(k.code, 0, k.stderr);
  await waitFor(
    async () => {
      const n = await kubectl(
        "get",
        "node",
        victim,
        "-o",
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      );
      return n.stdout === "Unknown" || n.stdout === "False";
    },
    { timeoutMs: 60_000, what: `${victim} to be marked not ready` },
  );
  await waitFor(
    async () => {
      const all = await pods("app=app");
      seen = all;
      const ps = all.filter((p) => !p.deleting && p.ready);
      return ps.length === 2 && ps.every((p) => p.node === survivor);
    },
    { timeoutMs: 120_000, what: `both pods running on ${survivor}` },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last seen: ${JSON.stringify(seen)}`);
  });

  const back = await k8ts("node", "restart", victim);
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stdout, new RegExp(`node ${victim} is Ready`));
});

test("k8ts down stops every process and leaves no container behind", async () => {
  const pids = recordedPids();
  assert.ok(pids.length >= 8);
  const r = await k8ts("down");
  assert.equal(r.code, 0, r.stderr);
  for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still alive`);
  assert.deepEqual(processesUsing(dataDir), []);
  const st = await k8ts("status");
  assert.notEqual(st.code, 0);
});
