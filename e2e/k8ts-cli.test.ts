// The k8ts kubectl-like verbs as a user runs them: the CLI as a process against a real API server
// process on a real etcd, side by side with the real kubectl doing the same thing (same objects,
// same tables). One API server for the whole file; each test works in its own namespace.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Deployment, RESOURCES, type ReplicaSet } from "../api/index.js";
import { RestClient } from "../client/index.js";
import { type ApiServerProcess, startApiServerProcess } from "../testing/apiserver-process.js";
import { type Daemon, K8TS_MAIN, kubectlBinary, run, startK8ts, waitFor } from "../testing/index.js";
import { type FakeNodeAgent, startFakeNodeAgent } from "./fake-node-agent.js";

let cluster: ApiServerProcess;
let dir: string;
let kubeconfig: string;
let client: RestClient;
const resource = (kind: string) => RESOURCES.find((r) => r.kind === kind)!;

const env = () => ({ ...process.env, KUBECONFIG: kubeconfig, HOME: dir, NO_COLOR: "1" });

function k8ts(args: string[], opts: { input?: string; timeoutMs?: number } = {}) {
  return run(process.execPath, [K8TS_MAIN, ...args], { env: env(), ...opts });
}

function kubectl(args: string[], opts: { input?: string } = {}) {
  return run(kubectlBinary(), args, { env: { ...env(), KUBECACHEDIR: join(dir, "kubectl-cache") }, ...opts });
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Ages move while a test runs: compare tables with them blanked. */
const noAges = (s: string) => s.replace(/\b\d+(s|m\d*s?|h\d*m?|d\d*h?)\b/g, "AGE");
/** Ages of different widths shift later columns by a space: fold runs of spaces too. */
const fold = (t: string) => noAges(t).replace(/ +/g, " ");

const DEPLOY = (opts: {
  image: string;
  replicas: number;
  tier?: boolean;
  sidecar?: boolean;
}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web${opts.tier ? "\n    tier: frontend" : ""}
spec:
  replicas: ${opts.replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${opts.image}
        env:
        - name: COLOR
          value: blue${opts.tier ? "\n        - name: TIER\n          value: frontend" : ""}
        ports:
        - containerPort: 8080${opts.sidecar ? "\n      - name: side\n        image: busybox:1.36\n        command: [sleep, '3600']" : ""}
`;

const POD = (name: string, extra = "") => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:${extra}
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: 100m
        memory: 64Mi
`;

async function ok(p: Promise<{ code: number; stdout: string; stderr: string }>) {
  const r = await p;
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** A long-running command (a watch): its output so far, and a stop that kills it. */
function watcher(bin: string, args: string[]) {
  const child = spawn(bin, args, {
    env: { ...env(), KUBECACHEDIR: join(dir, "kubectl-cache") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  return { out: () => out, err: () => err, stop: () => child.kill("SIGKILL") };
}

async function namespace(name: string) {
  await ok(k8ts(["create", "namespace", name]));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "k8ts-cli-"));
  cluster = await startApiServerProcess(dir);
  kubeconfig = cluster.kubeconfig;
  client = new RestClient({ server: cluster.server });
});

after(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("apply, get, create, delete", () => {
  test("apply creates, configures (removing what the file dropped) and is unchanged, like kubectl", async () => {
    await namespace("by-k8ts");
    await ok(kubectl(["create", "namespace", "by-kubectl"]));
    const v1 = file("web-v1.yaml", DEPLOY({ image: "busybox:1.36", replicas: 2, tier: true, sidecar: true }));
    const v2 = file("web-v2.yaml", DEPLOY({ image: "busybox:1.37", replicas: 3 }));
    const mine = await ok(k8ts(["apply", "-f", v1, "-n", "by-k8ts"]));
    const theirs = await ok(kubectl(["apply", "-f", v1, "-n", "by-kubectl"]));
    assert.equal(mine.stdout, "deployment.apps/web created\n");
    assert.equal(mine.stdout, theirs.stdout);
    assert.equal(
      (await k8ts(["apply", "-f", v1, "-n", "by-k8ts"])).stdout,
      "deployment.apps/web unchanged\n",
    );
    const changed = await ok(k8ts(["apply", "-f", v2, "-n", "by-k8ts"]));
    await ok(kubectl(["apply", "-f", v2, "-n", "by-kubectl"]));
    assert.equal(changed.stdout, "deployment.apps/web configured\n");
    assert.equal(
      (await k8ts(["apply", "-f", v2, "-n", "by-k8ts"])).stdout,
      "deployment.apps/web unchanged\n",
    );

    // The same objects: spec, labels and the last-applied record (namespace aside).
    const read = async (ns: string) =>
      JSON.parse((await ok(k8ts(["get", "deploy", "web", "-n", ns, "-o", "json"]))).stdout);
    const a = await read("by-k8ts");
    const b = await read("by-kubectl");
    assert.deepEqual(a.spec, b.spec);
    assert.deepEqual(a.metadata.labels, { app: "web" });
    assert.deepEqual(a.metadata.labels, b.metadata.labels);
    const last = (o: { metadata: { annotations: Record<string, string> } }) =>
      o.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]!.replace(
        /"by-k8ts"|"by-kubectl"/,
        "NS",
      );
    assert.equal(last(a), last(b));
    const containers = a.spec.template.spec.containers;
    assert.deepEqual(
      containers.map((c: { name: string }) => c.name),
      ["web"],
    );
    assert.deepEqual(containers[0].env, [{ name: "COLOR", value: "blue" }]);
    assert.equal(a.metadata.generation, 2);
    // kubectl can take over where k8ts left off, and sees nothing to do.
    assert.equal(
      (await kubectl(["apply", "-f", v2, "-n", "by-k8ts"])).stdout,
      "deployment.apps/web unchanged\n",
    );
  });

  test("apply reads a directory, multi-document YAML, JSON and stdin", async () => {
    await namespace("multi");
    const sub = join(dir, "manifests");
    rmSync(sub, { recursive: true, force: true });
    await import("node:fs").then((fs) => fs.mkdirSync(sub));
    writeFileSync(join(sub, "a.yaml"), `${POD("a1")}---\n${POD("a2")}`);
    writeFileSync(
      join(sub, "b.json"),
      JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b1" }, data: { k: "v" } }),
    );
    writeFileSync(join(sub, "notes.txt"), "not a manifest");
    const r = await ok(k8ts(["apply", "-f", sub, "-n", "multi"]));
    assert.equal(r.stdout, "pod/a1 created\npod/a2 created\nconfigmap/b1 created\n");
    const s = await ok(k8ts(["apply", "-f", "-", "-n", "multi"], { input: POD("a3") }));
    assert.equal(s.stdout, "pod/a3 created\n");
  });

  test("get prints the same tables, YAML and names as kubectl", async () => {
    await namespace("tables");
    await ok(
      k8ts([
        "apply",
        "-n",
        "tables",
        "-f",
        file("t.yaml", `${POD("p1")}---\n${DEPLOY({ image: "busybox:1.36", replicas: 1 })}`),
      ]),
    );
    for (const args of [
      ["get", "pods"],
      ["get", "pods,deploy"],
      ["get", "deploy", "-o", "wide"],
      ["get", "pods", "-A"],
      ["get", "pods", "-l", "app in (p1,x)", "--show-labels"],
      ["get", "pod", "p1", "-o", "yaml"],
      ["get", "pods", "-o", "json"],
      ["get", "all", "-o", "name"],
      ["get", "ns"],
    ]) {
      const mine = await ok(k8ts([...args, "-n", "tables"]));
      const theirs = await ok(kubectl([...args, "-n", "tables"]));
      assert.equal(fold(mine.stdout), fold(theirs.stdout), args.join(" "));
    }
    const none = await ok(k8ts(["get", "pods", "-l", "app=nothing", "-n", "tables"]));
    assert.equal(none.stderr, "No resources found in tables namespace.\n");
  });

  test("get -w prints the table, then a row for each change", async () => {
    await namespace("watching");
    await ok(k8ts(["apply", "-n", "watching", "-f", file("w.yaml", POD("w1"))]));
    const child = spawn(process.execPath, [K8TS_MAIN, "get", "pods", "-w", "-n", "watching"], {
      env: env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const rows = () => out.split("\n").filter((l) => l.startsWith("w1 "));
    try {
      await waitFor(() => rows().length >= 1, { what: `the first row; got:\n${out}` });
      assert.match(out, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
      await ok(kubectl(["delete", "pod", "w1", "-n", "watching", "--wait=false"]));
      await waitFor(() => rows().length >= 2, { what: `a row for the deletion; got:\n${out}` });
      assert.equal(out.match(/NAME/g)?.length, 1, "the header is printed once");
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("get -w -o yaml|json|name and --output-watch-events print what kubectl's watch prints", async () => {
    await namespace("watch-objects");
    await ok(k8ts(["apply", "-n", "watch-objects", "-f", file("wo.yaml", POD("o1"))]));
    const variants = [
      ["-o", "yaml"],
      ["-o", "json"],
      ["-o", "name", "--output-watch-events"],
      ["-o", "yaml", "--output-watch-events"],
      ["--output-watch-events"],
    ];
    const pairs = variants.map((v) => {
      const args = ["get", "pods", "-w", "-n", "watch-objects", ...v];
      return {
        args,
        mine: watcher(process.execPath, [K8TS_MAIN, ...args]),
        theirs: watcher(kubectlBinary(), args),
      };
    });
    // Four changes in all: o1 listed (ADDED), o1 labelled, o2 created, o2 deleted (no node: at once).
    const count = (v: string[], out: string) =>
      v.includes("json") && !v.includes("--output-watch-events")
        ? (out.match(/^\{$/gm) ?? []).length
        : v.includes("yaml")
          ? out.split(/^---$/m).filter((d) => d.trim()).length
          : out.split("\n").filter((l) => l && !l.startsWith("EVENT")).length;
    try {
      for (const p of pairs)
        await waitFor(() => count(p.args, p.mine.out()) >= 1 && count(p.args, p.theirs.out()) >= 1, {
          timeoutMs: 30_000,
          what: `the first object from both watches of ${p.args.join(" ")}:\n${p.mine.out()}${p.mine.err()}\n---\n${p.theirs.out()}${p.theirs.err()}`,
        });
      await ok(k8ts(["label", "pod", "o1", "seen=yes", "-n", "watch-objects"]));
      await ok(k8ts(["apply", "-n", "watch-objects", "-f", file("wo2.yaml", POD("o2"))]));
      await ok(k8ts(["delete", "pod", "o2", "-n", "watch-objects"]));
      for (const p of pairs) {
        const same = () => fold(p.mine.out()) === fold(p.theirs.out()) && count(p.args, p.mine.out()) === 4;
        await waitFor(same, { timeoutMs: 20_000, what: `the same four changes` }).catch(() => {
          assert.equal(fold(p.mine.out()), fold(p.theirs.out()), p.args.join(" "));
          assert.equal(count(p.args, p.mine.out()), 4, p.mine.out());
        });
      }
      assert.match(pairs[2]!.mine.out(), /^pod\/o1\npod\/o1\npod\/o2\npod\/o2\n$/);
      assert.match(pairs[3]!.mine.out(), /^type: DELETED$/m);
      assert.match(pairs[4]!.mine.out(), /^EVENT\s+NAME\s+READY.*\nADDED\s+o1 .*\nMODIFIED\s+o1 /);
    } finally {
      for (const p of pairs) {
        p.mine.stop();
        p.theirs.stop();
      }
    }
  });

  test("get --watch-only prints changes only, from the moment it listed", async () => {
    await namespace("watch-only");
    await ok(k8ts(["apply", "-n", "watch-only", "-f", file("wl.yaml", POD("wo"))]));
    const before = await client.get(resource("Pod"), "wo", { namespace: "watch-only" });
    const w = watcher(process.execPath, [
      K8TS_MAIN,
      ...["get", "pod", "wo", "--watch-only", "-o", "json", "--output-watch-events", "-n", "watch-only"],
    ]);
    try {
      // Until it has listed, a change is part of what it does not print: change until one shows.
      let n = 0;
      await waitFor(
        async () => {
          await ok(k8ts(["annotate", "pod", "wo", `n=${++n}`, "--overwrite", "-n", "watch-only"]));
          return w.out().includes("\n");
        },
        { timeoutMs: 30_000, intervalMs: 200, what: `a change from the watch:\n${w.out()}${w.err()}` },
      );
      const events = w
        .out()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { type: string; object: { metadata: { resourceVersion: string } } });
      for (const e of events) {
        assert.equal(e.type, "MODIFIED");
        assert.ok(Number(e.object.metadata.resourceVersion) > Number(before.metadata.resourceVersion));
      }
    } finally {
      w.stop();
    }
  });

  test("get -w with several types: the tables of `get a,b`, then each change under its own type", async () => {
    await namespace("watch-types");
    await ok(
      k8ts([
        "apply",
        "-n",
        "watch-types",
        "-f",
        file("wt.yaml", `${POD("m1")}---\n${DEPLOY({ image: "busybox:1.36", replicas: 1 })}`),
      ]),
    );
    const theirs = await ok(kubectl(["get", "pods,deploy", "-n", "watch-types"]));
    const refused = await kubectl(["get", "pods,deploy", "-w", "-n", "watch-types"]);
    assert.notEqual(refused.code, 0, "kubectl watches one type only; k8ts goes further");
    const w = watcher(process.execPath, [K8TS_MAIN, "get", "pods,deploy", "-w", "-n", "watch-types"]);
    try {
      await waitFor(() => w.out().includes("deployment.apps/web"), {
        timeoutMs: 30_000,
        what: `the first tables:\n${w.out()}${w.err()}`,
      });
      assert.equal(fold(w.out()), fold(theirs.stdout));
      await ok(k8ts(["scale", "deploy/web", "--replicas=3", "-n", "watch-types"]));
      await ok(k8ts(["apply", "-n", "watch-types", "-f", file("wt2.yaml", POD("m2"))]));
      const lines = () => w.out().split("\n");
      await waitFor(() => lines().some((l) => l.startsWith("pod/m2 ")), { what: `m2:\n${w.out()}` });
      await waitFor(() => lines().filter((l) => l.startsWith("deployment.apps/web ")).length === 2, {
        what: `the scaled deployment:\n${w.out()}`,
      });
      // Each change keeps its own type's columns: the deployment's READY column, the pod's STATUS.
      const deployHeader = lines().find((l) => l.startsWith("NAME") && l.includes("UP-TO-DATE"))!;
      const scaled = lines().filter((l) => l.startsWith("deployment.apps/web "))[1]!;
      assert.equal(scaled.indexOf("0/3"), deployHeader.indexOf("READY"));
      assert.match(lines().find((l) => l.startsWith("pod/m2 "))!, /^pod\/m2\s+0\/1\s+Pending\s+0\s+\d+s$/);
      assert.equal(w.out().match(/^NAME /gm)?.length, 2, "one header per type");
    } finally {
      w.stop();
    }
  });

  test("errors: kubectl's words on stderr and a non-zero exit", async () => {
    const missing = await k8ts(["get", "pod", "nope"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): pods "nope" not found\n');
    const bad = await k8ts(["create", "-f", file("bad.yaml", POD("Bad_Pod"))]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /The Pod "Bad_Pod" is invalid: metadata.name: Invalid value: "Bad_Pod"/);
    await ok(k8ts(["create", "-f", file("dup.yaml", POD("dup"))]));
    const dup = await k8ts(["create", "-f", join(dir, "dup.yaml")]);
    assert.match(
      dup.stderr,
      /Error from server \(AlreadyExists\): error when creating ".*dup.yaml": pods "dup" already exists/,
    );
    const type = await k8ts(["get", "widgets"]);
    assert.equal(type.code, 1);
    assert.match(type.stderr, /doesn't have a resource type "widgets"/);
    const noConfig = await run(process.execPath, [K8TS_MAIN, "get", "pods"], {
      env: { ...process.env, KUBECONFIG: "", HOME: join(dir, "empty-home") },
    });
    assert.equal(noConfig.code, 1);
    assert.match(noConfig.stderr, /run `k8ts up` or pass --kubeconfig/);
  });

  test("delete by name, by label and by file, waiting until the objects are gone", async () => {
    await namespace("deleting");
    const f = file("del.yaml", `${POD("d1")}---\n${POD("d2")}---\n${POD("d3")}`);
    await ok(k8ts(["apply", "-f", f, "-n", "deleting"]));
    // A finalizer holds d1: delete must wait until it is released.
    await ok(
      kubectl([
        "patch",
        "pod",
        "d1",
        "-n",
        "deleting",
        "--type=merge",
        "-p",
        '{"metadata":{"finalizers":["example.com/hold"]}}',
      ]),
    );
    let settled = false;
    const deleting = k8ts(["delete", "pod", "d1", "-n", "deleting"]).finally(() => {
      settled = true;
    });
    await waitFor(
      async () =>
        (
          await kubectl([
            "get",
            "pod",
            "d1",
            "-n",
            "deleting",
            "-o",
            "jsonpath={.metadata.deletionTimestamp}",
          ])
        ).stdout,
      { what: "d1 to be marked for deletion" },
    );
    assert.equal(settled, false, "delete returned while the finalizer still held the pod");
    await ok(
      kubectl([
        "patch",
        "pod",
        "d1",
        "-n",
        "deleting",
        "--type=merge",
        "-p",
        '{"metadata":{"finalizers":null}}',
      ]),
    );
    const d = await deleting;
    assert.equal(d.code, 0, d.stderr);
    assert.equal(d.stdout, 'pod "d1" deleted\n');
    const byLabel = await ok(k8ts(["delete", "pods", "-l", "app=d2", "-n", "deleting"]));
    assert.equal(byLabel.stdout, 'pod "d2" deleted\n');
    const byFile = await k8ts(["delete", "-f", f, "-n", "deleting"]);
    assert.equal(byFile.code, 1, "d1 and d2 are gone already: NotFound for them");
    assert.match(byFile.stdout, /pod "d3" deleted/);
    assert.match(byFile.stderr, /Error from server \(NotFound\): pods "d1" not found/);
    assert.match((await k8ts(["get", "pods", "-n", "deleting"])).stderr, /No resources found/);
  });
});

describe("describe, logs and exec against a pod on a (stand-in) node", () => {
  let agent: FakeNodeAgent;
  before(async () => {
    agent = await startFakeNodeAgent();
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "agent-node", labels: { "node-role.kubernetes.io/worker": "" } },
      status: {
        addresses: [{ type: "InternalIP", address: "127.0.0.1" }],
        daemonEndpoints: { kubeletEndpoint: { Port: agent.port } },
        capacity: { cpu: "2", memory: "4Gi", pods: "110" },
        allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
      },
    };
    await ok(k8ts(["create", "-f", file("node.json", JSON.stringify(node))]));
    await namespace("on-node");
    const twoContainers = `${POD("lp", "\n  nodeName: agent-node")}  - name: side\n    image: busybox:1.36\n`;
    await ok(k8ts(["apply", "-n", "on-node", "-f", file("lp.yaml", twoContainers)]));
  });
  after(async () => {
    await agent?.close();
  });

  test("describe pod reads as kubectl's, events included", async () => {
    const uid = (await ok(k8ts(["get", "pod", "lp", "-n", "on-node", "-o", "json"]))).stdout;
    const event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "lp.1", namespace: "on-node" },
      involvedObject: {
        kind: "Pod",
        name: "lp",
        namespace: "on-node",
        uid: JSON.parse(uid).metadata.uid,
        apiVersion: "v1",
      },
      reason: "Scheduled",
      message: "Successfully assigned on-node/lp to agent-node",
      type: "Normal",
      count: 1,
      source: { component: "default-scheduler" },
      firstTimestamp: new Date().toISOString().replace(/\.\d+Z/, "Z"),
      lastTimestamp: new Date().toISOString().replace(/\.\d+Z/, "Z"),
    };
    await ok(k8ts(["create", "-f", file("event.json", JSON.stringify(event))]));
    const mine = await ok(k8ts(["describe", "pod", "lp", "-n", "on-node"]));
    const theirs = await ok(kubectl(["describe", "pod", "lp", "-n", "on-node"]));
    assert.match(
      mine.stdout,
      /Normal\s+Scheduled\s+\d+s\s+default-scheduler\s+Successfully assigned on-node\/lp to agent-node/,
    );
    assert.equal(fold(mine.stdout), fold(theirs.stdout));
    const events = await ok(k8ts(["get", "events", "-n", "on-node"]));
    assert.match(
      events.stdout,
      /LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n.*Normal\s+Scheduled\s+pod\/lp/,
    );
  });

  test("describe node: its pods and what they requested of the allocatable", async () => {
    const r = await ok(k8ts(["describe", "node", "agent-node"]));
    assert.match(r.stdout, /^Roles:\s+worker$/m);
    assert.match(r.stdout, /Non-terminated Pods:\s+\(1 in total\)/);
    assert.match(r.stdout, /on-node\s+lp\s+100m \(5%\)\s+64Mi \(1%\)/);
    assert.match(r.stdout, /cpu\s+100m \(5%\)/);
    const top = await ok(k8ts(["top", "nodes", "agent-node"]));
    assert.equal(top.stdout.split("\n")[0]?.replace(/ +/g, " "), "NAME CPU(requests) MEMORY(requests) PODS");
    assert.match(top.stdout, /^agent-node\s+\[#-{19}\] 100m\/2 5%\s+\[-{20}\] 64Mi\/4Gi 1%\s+1\/110$/m);
  });

  test("logs: the default container, --tail, -c, and errors", async () => {
    const r = await ok(k8ts(["logs", "lp", "-n", "on-node"]));
    assert.equal(r.stdout, "line one\nline two\nline three\n");
    assert.equal(r.stderr, 'Defaulted container "main" out of: main, side\n');
    const t = await ok(k8ts(["logs", "lp", "-n", "on-node", "--tail=1", "-c", "side", "--timestamps"]));
    assert.equal(t.stdout, "line three\n");
    assert.ok(
      agent.requests.some(
        (p) => p.startsWith("/containerLogs/on-node/lp/side?") && p.includes("tailLines=1"),
      ),
      agent.requests.join("\n"),
    );
    await ok(k8ts(["apply", "-n", "on-node", "-f", file("unscheduled.yaml", POD("nowhere"))]));
    const e = await k8ts(["logs", "nowhere", "-n", "on-node"]);
    assert.equal(e.code, 1);
    assert.match(e.stderr, /^Error from server \(BadRequest\): .*does not have a host assigned/m);
  });

  test("logs --all-containers, -l, --prefix and -f of several pods print what kubectl prints", async () => {
    const withInit = POD(
      "li",
      "\n  nodeName: agent-node\n  initContainers:\n  - name: setup\n    image: busybox:1.36",
    );
    await ok(k8ts(["apply", "-n", "on-node", "-f", file("li.yaml", withInit)]));
    const both = "app in (lp,li)";
    for (const args of [
      ["logs", "lp", "--all-containers"],
      ["logs", "li", "--all-containers", "--prefix"],
      ["logs", "li"],
      ["logs", "-l", both, "--prefix"],
      ["logs", "-l", both, "--all-containers", "--prefix", "--tail=2"],
      ["logs", "-l", "app=nothing"],
    ]) {
      const mine = await ok(k8ts([...args, "-n", "on-node"]));
      const theirs = await ok(kubectl([...args, "-n", "on-node"]));
      assert.equal(mine.stdout, theirs.stdout, args.join(" "));
      assert.equal(mine.stderr, theirs.stderr, args.join(" "));
    }
    const asked = (container: string, query: string) =>
      agent.requests.some((p) => p.startsWith(`/containerLogs/on-node/${container}?`) && p.includes(query));
    assert.ok(asked("li/setup", ""), "the init container's log was asked for");
    assert.ok(asked("li/main", "tailLines=10"), "-l defaults to the last 10 lines");
    // Followed side by side: the same lines, in whatever order the streams delivered them.
    const follow = ["logs", "-l", both, "-f", "--prefix", "-c", "main", "-n", "on-node"];
    const sorted = (s: string) => s.split("\n").sort().join("\n");
    const f = await ok(k8ts(follow));
    assert.equal(sorted(f.stdout), sorted((await ok(kubectl(follow))).stdout));
    assert.match(f.stdout, /^\[pod\/li\/main\] line one$/m);
    const tooMany = [...follow, "--all-containers", "--max-log-requests=2"].filter(
      (a) => a !== "-c" && a !== "main",
    );
    const refused = await k8ts(tooMany);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `${(await kubectl(tooMany)).stderr.split("\n")[0]}\n`);
    const both2 = await k8ts(["logs", "lp", "-l", "app=lp", "-n", "on-node"]);
    assert.equal(both2.code, 1);
    assert.match(both2.stderr, /only a selector \(-l\) or a POD name is allowed/);
  });

  test("exec: output, the command's exit code, stdin", async () => {
    const r = await ok(k8ts(["exec", "lp", "-n", "on-node", "-c", "main", "--", "echo", "hello", "there"]));
    assert.equal(r.stdout, "hello there\n");
    const f = await k8ts(["exec", "lp", "-n", "on-node", "-c", "main", "--", "fail", "3"]);
    assert.equal(f.code, 3);
    assert.equal(f.stderr, "failing on purpose\ncommand terminated with exit code 3\n");
    const c = await ok(
      k8ts(["exec", "-i", "lp", "-n", "on-node", "-c", "main", "--", "cat"], { input: "some input\n" }),
    );
    assert.equal(c.stdout, "some input\n");
    const missing = await k8ts(["exec", "nope", "-n", "on-node", "--", "ls"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  });
});

describe("scale and rollout (the test plays the deployment controller's part)", () => {
  const DEPLOYMENTS = resource("Deployment");
  const REPLICASETS = resource("ReplicaSet");

  /** A deployment at revision 2 with the two ReplicaSets a controller would have made. */
  async function history(ns: string): Promise<Deployment> {
    await ok(
      k8ts(["apply", "-n", ns, "-f", file(`${ns}.yaml`, DEPLOY({ image: "busybox:1.37", replicas: 2 }))]),
    );
    const d = await client.get<Deployment>(DEPLOYMENTS, "web", { namespace: ns });
    for (const [revision, image] of [
      [1, "busybox:1.36"],
      [2, "busybox:1.37"],
    ] as const) {
      const template = JSON.parse(JSON.stringify(d.spec!.template));
      template.metadata.labels["pod-template-hash"] = `h${revision}`;
      template.spec.containers[0].image = image;
      await client.create<ReplicaSet>(REPLICASETS, {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: {
          name: `web-h${revision}`,
          namespace: ns,
          labels: template.metadata.labels,
          annotations: {
            "deployment.kubernetes.io/revision": String(revision),
            "kubernetes.io/change-cause": `image ${image}`,
          },
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: "Deployment",
              name: "web",
              uid: d.metadata.uid!,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: revision === 2 ? 2 : 0,
          selector: { matchLabels: template.metadata.labels },
          template,
        },
      });
    }
    return client.patch<Deployment>(
      DEPLOYMENTS,
      "web",
      "merge",
      { metadata: { annotations: { "deployment.kubernetes.io/revision": "2" } } },
      { namespace: ns },
    );
  }

  test("scale patches the scale subresource; --current-replicas refuses a stale count", async () => {
    await namespace("scaling");
    await ok(
      k8ts([
        "apply",
        "-n",
        "scaling",
        "-f",
        file("scale.yaml", DEPLOY({ image: "busybox:1.36", replicas: 1 })),
      ]),
    );
    assert.equal(
      (await ok(k8ts(["scale", "deploy/web", "--replicas=4", "-n", "scaling"]))).stdout,
      "deployment.apps/web scaled\n",
    );
    assert.equal(
      (await client.get<Deployment>(DEPLOYMENTS, "web", { namespace: "scaling" })).spec?.replicas,
      4,
    );
    const stale = await k8ts([
      "scale",
      "deploy",
      "web",
      "--replicas=2",
      "--current-replicas=3",
      "-n",
      "scaling",
    ]);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /Expected replicas to be 3, was 4/);
    await ok(k8ts(["scale", "deploy", "web", "--replicas=2", "--current-replicas=4", "-n", "scaling"]));
    assert.equal(
      (await client.get<Deployment>(DEPLOYMENTS, "web", { namespace: "scaling" })).spec?.replicas,
      2,
    );
    const pods = await k8ts(["scale", "pod", "x", "--replicas=2"]);
    assert.match(pods.stderr, /cannot scale pods/);
  });

  test("rollout status follows the deployment until it is rolled out, printing each stage", async () => {
    await namespace("rolling");
    await ok(
      k8ts([
        "apply",
        "-n",
        "rolling",
        "-f",
        file("roll.yaml", DEPLOY({ image: "busybox:1.36", replicas: 2 })),
      ]),
    );
    const child = spawn(process.execPath, [K8TS_MAIN, "rollout", "status", "deploy/web", "-n", "rolling"], {
      env: env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const printed = (line: string) =>
      waitFor(() => out.split("\n").includes(line), { what: `"${line}" in:\n${out}` });
    try {
      // Nothing has observed generation 1 yet.
      await printed("Waiting for deployment spec update to be observed...");
      const setStatus = async (status: Deployment["status"]) => {
        const d = await client.get<Deployment>(DEPLOYMENTS, "web", { namespace: "rolling" });
        await client.updateStatus(DEPLOYMENTS, {
          ...d,
          status: { observedGeneration: d.metadata.generation, ...status },
        });
      };
      const waiting = 'Waiting for deployment "web" rollout to finish:';
      await setStatus({ replicas: 3, updatedReplicas: 1 });
      await printed(`${waiting} 1 out of 2 new replicas have been updated...`);
      await setStatus({ replicas: 3, updatedReplicas: 2 });
      await printed(`${waiting} 1 old replicas are pending termination...`);
      await setStatus({ replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 });
      await printed(`${waiting} 1 of 2 updated replicas are available...`);
      assert.equal(child.exitCode, null, "rollout status returned before the rollout finished");
      await setStatus({ replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2 });
      assert.equal(await exited, 0);
      assert.equal(out.trim().split("\n").at(-1), 'deployment "web" successfully rolled out');
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("rollout history and undo, the same objects as kubectl's undo", async () => {
    await namespace("undo-k8ts");
    await ok(kubectl(["create", "namespace", "undo-kubectl"]));
    await history("undo-k8ts");
    await history("undo-kubectl");
    const h = await ok(k8ts(["rollout", "history", "deploy/web", "-n", "undo-k8ts"]));
    assert.equal(
      h.stdout,
      "deployment.apps/web\nREVISION   CHANGE-CAUSE\n1          image busybox:1.36\n2          image busybox:1.37\n\n",
    );
    const one = await ok(k8ts(["rollout", "history", "deploy/web", "--revision=1", "-n", "undo-k8ts"]));
    assert.match(
      one.stdout,
      /with revision #1\nPod Template:\n {2}Labels:\s+app=web\n\s+pod-template-hash=h1/,
    );
    assert.match(one.stdout, /Image:\s+busybox:1.36/);
    const u = await ok(k8ts(["rollout", "undo", "deploy/web", "-n", "undo-k8ts"]));
    assert.equal(u.stdout, "deployment.apps/web rolled back\n");
    await ok(kubectl(["rollout", "undo", "deploy/web", "-n", "undo-kubectl"]));
    const a = await client.get<Deployment>(DEPLOYMENTS, "web", { namespace: "undo-k8ts" });
    const b = await client.get<Deployment>(DEPLOYMENTS, "web", { namespace: "undo-kubectl" });
    assert.equal(a.spec?.template.spec?.containers[0]?.image, "busybox:1.36");
    assert.deepEqual(a.spec?.template, b.spec?.template);
    const { "kubectl.kubernetes.io/last-applied-configuration": la, ...annA } = a.metadata.annotations!;
    const { "kubectl.kubernetes.io/last-applied-configuration": lb, ...annB } = b.metadata.annotations!;
    assert.deepEqual(annA, annB);
    assert.ok(la && lb);
    const again = await ok(k8ts(["rollout", "undo", "deploy/web", "--to-revision=1", "-n", "undo-k8ts"]));
    assert.equal(
      again.stdout,
      "deployment.apps/web skipped rollback (current template already matches revision 1)\n",
    );
  });

  test("rollout restart stamps the template; pause and resume", async () => {
    await ok(k8ts(["rollout", "restart", "deploy/web", "-n", "undo-k8ts"]));
    const d = await client.get<Deployment>(DEPLOYMENTS, "web", { namespace: "undo-k8ts" });
    assert.match(
      d.spec?.template.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"] ?? "",
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    assert.equal(
      (await ok(k8ts(["rollout", "pause", "deploy/web", "-n", "undo-k8ts"]))).stdout,
      "deployment.apps/web paused\n",
    );
    const refused = await k8ts(["rollout", "undo", "deploy/web", "-n", "undo-k8ts"]);
    assert.match(refused.stderr, /cannot rollback a paused deployment/);
    await ok(k8ts(["rollout", "resume", "deploy/web", "-n", "undo-k8ts"]));
    assert.equal(
      (await client.get<Deployment>(DEPLOYMENTS, "web", { namespace: "undo-k8ts" })).spec?.paused,
      undefined,
    );
  });
});

describe("cordon, uncordon, drain", () => {
  test("drain refuses pods that would be lost, then evicts what it may and waits", async () => {
    await namespace("draining");
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "drain-me" },
      status: { allocatable: { cpu: "2", memory: "2Gi", pods: "10" } },
    };
    await ok(k8ts(["create", "-f", file("drain-node.json", JSON.stringify(node))]));
    const on = "\n  nodeName: drain-me";
    const mirror = POD("mirror", on).replace(
      "  labels:",
      '  annotations:\n    kubernetes.io/config.mirror: "x"\n  labels:',
    );
    await ok(
      k8ts(["apply", "-n", "draining", "-f", file("drain-pods.yaml", `${POD("bare", on)}---\n${mirror}`)]),
    );
    const refused = await k8ts(["drain", "drain-me"]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, "node/drain-me cordoned\n");
    assert.match(
      refused.stderr,
      /cannot delete Pods that declare no controller \(use --force to override\): draining\/bare/,
    );
    assert.doesNotMatch(refused.stderr, /mirror/);
    assert.match((await ok(k8ts(["get", "nodes", "drain-me"]))).stdout, /drain-me\s+\S*SchedulingDisabled/);

    const drained = await ok(k8ts(["drain", "drain-me", "--force", "--grace-period=0", "--timeout=30s"]));
    assert.equal(
      drained.stdout,
      "node/drain-me already cordoned\nevicting pod draining/bare\npod/bare evicted\nnode/drain-me drained\n",
    );
    assert.match(drained.stderr, /Warning: deleting Pods that declare no controller: draining\/bare/);
    const left = await ok(k8ts(["get", "pods", "-n", "draining", "-o", "name"]));
    assert.equal(left.stdout, "pod/mirror\n", "the mirror pod stays; the evicted one is gone");

    assert.equal((await ok(k8ts(["uncordon", "drain-me"]))).stdout, "node/drain-me uncordoned\n");
    assert.equal((await ok(k8ts(["uncordon", "drain-me"]))).stdout, "node/drain-me already uncordoned\n");
    assert.equal((await ok(k8ts(["cordon", "drain-me"]))).stdout, "node/drain-me cordoned\n");
    const theirs = await ok(kubectl(["get", "node", "drain-me", "-o", "jsonpath={.spec.unschedulable}"]));
    assert.equal(theirs.stdout, "true");
  });
});

describe("--dry-run", () => {
  test("client and server dry runs say what kubectl says and change nothing at all", async () => {
    await namespace("dry");
    const f = (name: string, text: string) => file(`dry-${name}.yaml`, text);
    const dr1 = f("dr1", POD("dr1"));
    const web = f("web", DEPLOY({ image: "busybox:1.36", replicas: 1 }));
    await ok(k8ts(["apply", "-n", "dry", "-f", dr1, "-f", web]));
    const NAMESPACES = resource("Namespace");
    // etcd's revision: any write anywhere in the cluster moves it.
    const revision = async () => (await client.list(NAMESPACES, { limit: 1 })).metadata.resourceVersion;
    const before = await revision();
    const dr2 = f("dr2", POD("dr2"));
    const web5 = f("web5", DEPLOY({ image: "busybox:1.37", replicas: 5 }));
    for (const mode of ["client", "server"]) {
      const said = mode === "client" ? "(dry run)" : "(server dry run)";
      const same = [
        [["apply", "-f", dr2], `pod/dr2 created ${said}`],
        [["apply", "-f", web5], `deployment.apps/web configured ${said}`],
        [["create", "-f", dr2], `pod/dr2 created ${said}`],
        [["create", "namespace", "dry-ns"], `namespace/dry-ns created ${said}`],
        [["scale", "deploy/web", "--replicas=4"], `deployment.apps/web scaled ${said}`],
        [["label", "pod", "dr1", "tier=fe"], `pod/dr1 labeled ${said}`],
        [["label", "pod", "dr1", "app-"], `pod/dr1 unlabeled ${said}`],
        [["annotate", "pod/dr1", "note=x"], `pod/dr1 annotated ${said}`],
      ] as const;
      // kubectl sends a DELETE's dryRun inside DeleteOptions, where this API server does not read
      // it yet (it reads the query, which k8ts sends): only the client mode is compared for delete.
      const deletes = [
        [["delete", "pod", "dr1"], `pod "dr1" deleted ${said}`],
        [["delete", "pods", "-l", "app=dr1"], `pod "dr1" deleted ${said}`],
        [["delete", "-f", web], `deployment.apps "web" deleted ${said}`],
      ] as const;
      for (const [args, line] of [...same, ...(mode === "client" ? deletes : [])]) {
        const full = [...args, "-n", "dry", `--dry-run=${mode}`];
        const mine = await ok(k8ts(full));
        assert.equal(mine.stdout, `${line}\n`, full.join(" "));
        assert.equal(mine.stdout, (await ok(kubectl(full))).stdout, full.join(" "));
      }
      if (mode === "server") {
        for (const [args, line] of deletes) {
          const mine = await ok(k8ts([...args, "-n", "dry", "--dry-run=server"]));
          assert.equal(mine.stdout, `${line}\n`);
        }
      }
      // Where k8ts says more than kubectl's "configured (dry run)": nothing to change.
      assert.equal(
        (await ok(k8ts(["apply", "-f", dr1, "-n", "dry", `--dry-run=${mode}`]))).stdout,
        `pod/dr1 unchanged ${said}\n`,
      );
    }
    // A dry run still fails where the real thing would.
    const stale = await k8ts([
      "scale",
      "deploy/web",
      "--replicas=2",
      "--current-replicas=3",
      "-n",
      "dry",
      "--dry-run=client",
    ]);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /Expected replicas to be 3, was 1/);
    const invalid = await k8ts(["create", "-f", f("bad", POD("Bad_Name")), "-n", "dry", "--dry-run=server"]);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /is invalid/);
    const bad = await k8ts(["apply", "-f", dr1, "--dry-run=maybe"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Invalid dry-run value \(maybe\). Must be "none", "server", or "client"./);

    assert.equal(await revision(), before, "a dry run wrote to the cluster");
    assert.equal((await ok(k8ts(["get", "pods", "-n", "dry", "-o", "name"]))).stdout, "pod/dr1\n");
    const d = await client.get<Deployment>(resource("Deployment"), "web", { namespace: "dry" });
    assert.equal(d.spec?.replicas, 1);
    assert.equal((await k8ts(["get", "ns", "dry-ns"])).code, 1);
  });
});

describe("label, annotate, api-resources, version, config view", () => {
  test("label and annotate: set, refuse to overwrite, overwrite, remove; selectable afterwards", async () => {
    await namespace("labels");
    await ok(k8ts(["apply", "-n", "labels", "-f", file("lbl.yaml", `${POD("l1")}---\n${POD("l2")}`)]));
    assert.equal(
      (await ok(k8ts(["label", "pod", "l1", "l2", "tier=fe", "-n", "labels"]))).stdout,
      "pod/l1 labeled\npod/l2 labeled\n",
    );
    const refused = await k8ts(["label", "pod/l1", "tier=be", "-n", "labels"]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, "error: 'tier' already has a value (fe), and --overwrite is false\n");
    await ok(k8ts(["label", "pods", "-l", "app=l1", "tier=be", "--overwrite", "-n", "labels"]));
    const sel = await ok(k8ts(["get", "pods", "-l", "tier=be", "-o", "name", "-n", "labels"]));
    assert.equal(sel.stdout, "pod/l1\n");
    await ok(k8ts(["annotate", "pod/l2", "note=hello world", "-n", "labels"]));
    await ok(k8ts(["label", "pod/l2", "tier-", "-n", "labels"]));
    const l2 = JSON.parse((await ok(kubectl(["get", "pod", "l2", "-n", "labels", "-o", "json"]))).stdout);
    assert.equal(l2.metadata.annotations.note, "hello world");
    assert.deepEqual(l2.metadata.labels, { app: "l2" });
  });

  test("api-resources matches kubectl's; version names both sides; config view hides secrets", async () => {
    const mine = await ok(k8ts(["api-resources"]));
    assert.equal(mine.stdout, (await ok(kubectl(["api-resources"]))).stdout);
    const v = await ok(k8ts(["version"]));
    assert.match(v.stdout, /^Client Version: v\d+\.\d+\.\d+ \(k8ts\)\nServer Version: v1\.\d+/);
    const withToken = file(
      "token-kubeconfig",
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:1"}\nusers:\n- name: u\n  user: {token: s3cret}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
    );
    const view = await ok(k8ts(["config", "view", "--kubeconfig", withToken]));
    assert.match(view.stdout, /token: REDACTED/);
    assert.doesNotMatch(view.stdout, /s3cret/);
    assert.match(
      (await ok(k8ts(["config", "view", "--raw", "--kubeconfig", withToken]))).stdout,
      /token: s3cret/,
    );
    const down = await k8ts(["get", "pods", "--kubeconfig", withToken]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /did not answer .*k8ts status.*k8ts up/);
  });
});

describe("explain-schedule against a real scheduler process", () => {
  let scheduler: Daemon;
  let address: string;
  before(async () => {
    const ready = [{ type: "Ready", status: "True", reason: "KubeletReady" }];
    for (const [name, cpu] of [
      ["sched-small", "1"],
      ["sched-big", "8"],
      ["sched-mid", "4"],
    ] as const) {
      const node = {
        apiVersion: "v1",
        kind: "Node",
        metadata: { name },
        status: { conditions: ready, allocatable: { cpu, memory: "8Gi", pods: "110" } },
      };
      await ok(k8ts(["create", "-f", file(`${name}.json`, JSON.stringify(node))]));
    }
    scheduler = startK8ts(
      ["scheduler", "--kubeconfig", kubeconfig, "--metrics-bind-address", "127.0.0.1:0"],
      env(),
    );
    const m = await waitFor(() => /scheduler serving \/metrics on (\S+)/.exec(scheduler.output()), {
      timeoutMs: 20_000,
      what: "the scheduler to serve",
    });
    address = m[1]!;
  });
  after(async () => {
    await scheduler?.stop();
  });

  test("shows which nodes were filtered out and why, the scores, and the chosen node", async () => {
    await namespace("scheduling");
    await ok(
      k8ts([
        "apply",
        "-n",
        "scheduling",
        "-f",
        file("big.yaml", POD("needs-cpu").replace("cpu: 100m", "cpu: 1500m")),
      ]),
    );
    const node = await waitFor(
      async () =>
        JSON.parse((await ok(k8ts(["get", "pod", "needs-cpu", "-n", "scheduling", "-o", "json"]))).stdout)
          .spec.nodeName,
      { timeoutMs: 20_000, what: "needs-cpu to be bound" },
    );
    assert.ok(node === "sched-big" || node === "sched-mid", `bound to ${node}`);
    const r = await ok(k8ts(["explain-schedule", "needs-cpu", "-n", "scheduling", "--scheduler", address]));
    assert.match(r.stdout, new RegExp(`^Pod scheduling/needs-cpu: Scheduled on ${node} \\(attempt 1`));
    assert.match(r.stdout, /NodeResourcesFit\s+1\s+Insufficient cpu\s+sched-small/);
    assert.match(r.stdout, new RegExp(`\\* ${node}\\s+\\d`));
    assert.match(r.stdout, /Scores \(best first\):/);
  });

  test("says why there is nothing to explain", async () => {
    const pinned = await k8ts(["explain-schedule", "lp", "-n", "on-node", "--scheduler", address]);
    assert.equal(pinned.code, 1);
    assert.match(pinned.stderr, /has no decision for pod on-node\/lp \(it is on agent-node\).*spec.nodeName/);
    const down = await k8ts(["explain-schedule", "lp", "-n", "on-node", "--scheduler", "127.0.0.1:1"]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /the scheduler at 127.0.0.1:1 did not answer/);
  });
});
