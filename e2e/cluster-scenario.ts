// A whole cluster as a newcomer gets it: `k8ts up` (etcd, API server, scheduler, controllers, and
// per node a runc runtime-shim and a node agent, all real processes), the real kubectl driving it,
// a node killed and its pods replaced elsewhere, and `k8ts down` leaving nothing behind. Run for
// both ways `k8ts up` lays the components out: a process each (cluster.test.ts), and combined into
// one control-plane process and one worker per node (cluster-combined.test.ts).

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
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

/** The CNI bridges the cluster's runtime-shims were started with (in a combined cluster, as hosted components). */
function recordedBridges(): string[] {
  const state = JSON.parse(readFileSync(join(dataDir, "cluster.json"), "utf8")) as {
    processes: { args: string[]; components?: { args: string[] }[] }[];
  };
  return state.processes
    .flatMap((p) => p.components ?? [p])
    .flatMap((c) => c.args.flatMap((a, i) => (c.args[i - 1] === "--cni-bridge" ? [a] : [])));
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

/** Registers the scenario's tests; `combined` runs `k8ts up --combined`. */
export function clusterScenario(mode: "separate" | "combined"): void {
  const combined = mode === "combined";
  const upFlags = combined ? ["--combined"] : [];
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

  if (!combined) {
    // Refused before anything starts, whichever the layout: checked once.
    test("k8ts up refuses a node grace period too short for several lease renewals, and starts nothing", async () => {
      const r = await k8ts("up", "--nodes", "2", "--node-monitor-grace-period", "2s");
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /--node-monitor-grace-period must be at least 4s, got 2000ms/);
      assert.ok(!existsSync(join(dataDir, "cluster.json")), "nothing was started");
    });
  }

  test("k8ts up: a 2-node cluster, Ready, and a second up says it is running", async () => {
    const t0 = Date.now();
    const r = await k8ts(
      "up",
      ...upFlags,
      // A free port, not 6443: both scenarios may run at once, and two clusters on one port would
      // talk to one API server.
      "--apiserver-port",
      "0",
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
    const again = await k8ts("up", ...upFlags, "--nodes", "2");
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /already running/);
    const st = await k8ts("status");
    assert.equal(st.code, 0, st.stdout);
    assert.match(st.stdout, /Pod network 10\.\d+\.0\.0\/16/);
    if (!combined) {
      assert.match(st.stdout, /nodeagent-node-2\s+\d+\s+running/);
      return;
    }
    // One process per node, each listing what it hosts; every component still logs to its own file.
    assert.match(st.stdout, /^control-plane\s+\d+\s+running/m);
    assert.match(st.stdout, /^worker-node-2\s+\d+\s+running/m);
    for (const c of ["apiserver", "scheduler", "controllers", "runtime-node-2", "nodeagent-node-2"])
      assert.match(st.stdout, new RegExp(`^  ${c}\\s+\\S+/logs/${c}\\.log$`, "m"));
    const logOf = (c: string) => readFileSync(join(dataDir, "logs", `${c}.log`), "utf8");
    assert.match(logOf("apiserver"), /apiserver listening on http:\/\/127\.0\.0\.1:/);
    assert.match(logOf("scheduler"), /"msg":"informers synced"/);
    assert.match(logOf("nodeagent-node-2"), /nodeagent node-2 serving on/);
    assert.doesNotMatch(logOf("nodeagent-node-2"), /"component":"runtime-shim"/);
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
    if (combined)
      assert.match(k.stdout, new RegExp(`worker-${victim} \\(runtime-shim and node agent\\) killed`));
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

  test("k8ts down stops every process and leaves no container, mount or bridge behind", async () => {
    const pids = recordedPids();
    // etcd, API server, scheduler, controllers, 2 × (runtime-shim, node agent); or etcd, the
    // control plane and 2 workers.
    if (combined) assert.equal(pids.length, 4);
    else assert.ok(pids.length >= 8);
    const bridges = recordedBridges();
    assert.equal(bridges.length, 2);
    const r = await k8ts("down");
    assert.equal(r.code, 0, r.stderr);
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} still alive`);
    assert.deepEqual(processesUsing(dataDir), []);
    assert.deepEqual(
      readFileSync("/proc/mounts", "utf8")
        .split("\n")
        .filter((l) => l.includes(dataDir)),
      [],
    );
    for (const b of bridges)
      assert.notEqual(spawnSync("ip", ["link", "show", "dev", b]).status, 0, `bridge ${b} left`);
    const st = await k8ts("status");
    assert.notEqual(st.code, 0);
  });
}
