// The real kubectl against a real API server process on a real etcd: what a user types, what
// they see. The core runs with kubectl 1.32 (on the PATH); a smaller core with 1.27 and 1.33.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type ApiServerProcess, startApiServerProcess } from "../testing/apiserver-process.js";
import { kubectlBinary, run, waitFor } from "../testing/index.js";
import { DEPLOY } from "./cli-harness.js";
import { type FakeNodeAgent, fakeAgentNode, startFakeNodeAgent } from "./fake-node-agent.js";

let cluster: ApiServerProcess;
let dir: string;
let kubeconfig: string;

function kubectl(args: string[], opts: { version?: string; input?: string; timeoutMs?: number } = {}) {
  return run(kubectlBinary(opts.version), args, {
    env: {
      ...process.env,
      KUBECONFIG: kubeconfig,
      HOME: dir,
      KUBECACHEDIR: join(dir, `cache-${opts.version ?? "default"}`),
    },
    timeoutMs: opts.timeoutMs ?? 30_000,
    input: opts.input,
  });
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p1
  labels:
    app: p1
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: 100m
        memory: 64Mi
`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "k8ts-kubectl-"));
  cluster = await startApiServerProcess(dir);
  kubeconfig = cluster.kubeconfig;
});

after(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("kubectl 1.32", () => {
  test("apply creates, apply of a changed file configures, apply again is unchanged", async () => {
    const d = file("deploy.yaml", DEPLOY({ image: "busybox:1.36", replicas: 2, readinessProbe: true }));
    const p = file("pod.yaml", POD);
    const r1 = await kubectl(["apply", "-f", d, "-f", p]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.match(r1.stdout, /deployment.apps\/web created/);
    assert.match(r1.stdout, /pod\/p1 created/);
    const r2 = await kubectl([
      "apply",
      "-f",
      file("deploy2.yaml", DEPLOY({ image: "busybox:1.37", replicas: 3, readinessProbe: true })),
    ]);
    assert.equal(r2.code, 0, r2.stderr);
    assert.match(r2.stdout, /deployment.apps\/web configured/);
    const got = await kubectl([
      "get",
      "deploy",
      "web",
      "-o",
      "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.generation}",
    ]);
    assert.equal(got.stdout, "3 busybox:1.37 2");
    const r3 = await kubectl(["apply", "-f", join(dir, "deploy2.yaml")]);
    assert.match(r3.stdout, /deployment.apps\/web unchanged/);
  });

  test("get shows tables with Kubernetes' columns", async () => {
    const r = await kubectl(["get", "pods,deploy"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    assert.match(r.stdout, /pod\/p1\s+0\/1\s+Pending\s+0\s+\d+s/);
    assert.match(r.stdout, /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    assert.match(r.stdout, /deployment.apps\/web\s+0\/3\s+0\s+0\s+\d+s/);
    const wide = await kubectl(["get", "pods", "-o", "wide"]);
    assert.match(wide.stdout, /IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
  });

  test("-o yaml prints the stored object with server-set fields", async () => {
    const r = await kubectl(["get", "pod", "p1", "-o", "yaml"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /uid: [0-9a-f-]{36}/);
    assert.match(r.stdout, /kubectl.kubernetes.io\/last-applied-configuration/);
    assert.match(r.stdout, /cpu: 100m/);
  });

  test("get -w sees a change", async () => {
    const watch = spawn(kubectlBinary(), ["get", "pods", "-w"], {
      env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir, KUBECACHEDIR: join(dir, "cache-default") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    watch.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const rows = () => out.split("\n").filter((l) => l.startsWith("p1 ")).length;
    try {
      await waitFor(() => rows() >= 1, { timeoutMs: 10_000, what: "kubectl get -w to print the pod" });
      // kubectl lists, then watches from the list's resourceVersion: a change made after the first
      // row is printed must arrive as a second row.
      const r = await kubectl(["label", "pod", "p1", `seen=${Date.now()}`, "--overwrite"]);
      assert.match(r.stdout, /pod\/p1 labeled/);
      await waitFor(() => rows() >= 2, { timeoutMs: 10_000, what: `a second row from get -w; got:\n${out}` });
    } finally {
      watch.kill("SIGKILL");
    }
  });

  test("label, then select by it", async () => {
    const r = await kubectl(["label", "deploy", "web", "tier=frontend"]);
    assert.equal(r.code, 0, r.stderr);
    const sel = await kubectl(["get", "deploy", "-l", "tier in (frontend,backend)", "-o", "name"]);
    assert.equal(sel.stdout.trim(), "deployment.apps/web");
  });

  test("api-resources lists our resources with short names", async () => {
    const r = await kubectl(["api-resources"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pods\s+po\s+v1\s+true\s+Pod/);
    assert.match(r.stdout, /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    assert.match(r.stdout, /leases\s+coordination.k8s.io\/v1\s+true\s+Lease/);
  });

  test("create namespace, create deployment and create configmap (protobuf bodies)", async () => {
    const ns = await kubectl(["create", "namespace", "team-a"]);
    assert.equal(ns.code, 0, ns.stderr);
    assert.match(ns.stdout, /namespace\/team-a created/);
    const dep = await kubectl([
      "create",
      "deployment",
      "api",
      "--image=busybox:1.36",
      "--replicas=2",
      "-n",
      "team-a",
    ]);
    assert.equal(dep.code, 0, dep.stderr);
    assert.match(dep.stdout, /deployment.apps\/api created/);
    const img = await kubectl([
      "get",
      "deploy",
      "api",
      "-n",
      "team-a",
      "-o",
      "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}",
    ]);
    assert.equal(img.stdout, "2 busybox:1.36");
    const cm = await kubectl([
      "create",
      "configmap",
      "settings",
      "--from-literal=color=blue",
      "-n",
      "team-a",
    ]);
    assert.equal(cm.code, 0, cm.stderr);
    const v = await kubectl(["get", "configmap", "settings", "-n", "team-a", "-o", "jsonpath={.data.color}"]);
    assert.equal(v.stdout, "blue");
  });

  test("get pods -A --sort-by=.metadata.name", async () => {
    await kubectl(["run", "zz", "--image=busybox", "-n", "team-a"]);
    await kubectl(["run", "aa", "--image=busybox", "-n", "team-a"]);
    const r = await kubectl(["get", "pods", "-A", "--sort-by=.metadata.name"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+READY/);
    const names = lines.slice(1).map((l) => l.split(/\s+/)[1]);
    assert.deepEqual(names, ["aa", "p1", "zz"]);
    assert.match(lines[1]!, /^team-a\s+aa/);
  });

  test("errors: an invalid object and a duplicate create", async () => {
    const bad = file("bad.yaml", POD.replace("name: p1", "name: Bad_Pod"));
    const r = await kubectl(["create", "-f", bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Pod "Bad_Pod" is invalid: metadata.name: Invalid value: "Bad_Pod"/);
    const dup = await kubectl(["create", "-f", join(dir, "pod.yaml")]);
    assert.notEqual(dup.code, 0);
    assert.match(
      dup.stderr,
      /Error from server \(AlreadyExists\): error when creating ".*pod.yaml": pods "p1" already exists/,
    );
    const unknown = file("unknown.yaml", POD.replace("  - name: main", "  - name: main\n    imagez: nope"));
    const u = await kubectl(["apply", "-f", unknown]);
    assert.notEqual(u.code, 0);
    assert.match(u.stderr, /unknown field "spec.containers\[0\].imagez"/);
    const missing = await kubectl(["get", "pod", "nope"]);
    assert.match(missing.stderr, /Error from server \(NotFound\): pods "nope" not found/);
  });

  test("delete removes objects and waits for them", async () => {
    const r = await kubectl(["delete", "-f", join(dir, "deploy2.yaml"), "--timeout=20s"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deployment.apps "web" deleted/);
    const gone = await kubectl(["get", "deploy", "web"]);
    assert.match(gone.stderr, /NotFound/);
  });
});

describe("kubectl logs and exec through the API server to the pod's node agent", () => {
  let agent: FakeNodeAgent;
  before(async () => {
    agent = await startFakeNodeAgent();
    const nodeFile = file("node.json", JSON.stringify(fakeAgentNode(agent)));
    assert.equal((await kubectl(["create", "-f", nodeFile])).code, 0);
    const podFile = file(
      "lp.yaml",
      POD.replace("name: p1", "name: lp")
        .replace("  labels:\n    app: p1\n", "")
        .replace("spec:\n", "spec:\n  nodeName: agent-node\n"),
    );
    const r = await kubectl(["create", "-f", podFile]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await agent?.close();
  });

  test("logs, with --tail", async () => {
    const r = await kubectl(["logs", "lp"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "line one\nline two\nline three\n");
    const t = await kubectl(["logs", "lp", "--tail=1"]);
    assert.equal(t.stdout, "line three\n");
    assert.ok(
      agent.requests.some(
        (p) => p.startsWith("/containerLogs/default/lp/main?") && p.includes("tailLines=1"),
      ),
    );
  });

  test("exec: output, exit codes, stdin", async () => {
    const r = await kubectl(["exec", "lp", "--", "echo", "hello", "there"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "hello there\n");
    const f = await kubectl(["exec", "lp", "--", "fail", "3"]);
    assert.equal(f.code, 3);
    assert.match(f.stderr, /command terminated with exit code 3/);
    const c = await kubectl(["exec", "-i", "lp", "--", "cat"], { input: "some input\n" });
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, "some input\n");
  });

  test("a pod without a node says so", async () => {
    const r = await kubectl(["logs", "p1"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /does not have a host assigned/);
  });
});

for (const version of ["1.27", "1.33"]) {
  describe(`kubectl ${version}`, () => {
    test("apply, get, patch by apply, delete", async () => {
      const name = `v${version.replace(".", "")}`;
      const text = POD.replace("name: p1", `name: ${name}`);
      const f = file(`${name}.yaml`, text);
      const a = await kubectl(["apply", "-f", f], { version });
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stdout, new RegExp(`pod/${name} created`));
      const g = await kubectl(["get", "pod", name], { version });
      assert.match(g.stdout, new RegExp(`${name}\\s+0/1\\s+Pending`));
      writeFileSync(f, text.replace("app: p1", "app: changed"));
      const b = await kubectl(["apply", "-f", f], { version });
      assert.match(b.stdout, new RegExp(`pod/${name} configured`));
      const l = await kubectl(["get", "pod", name, "-o", "jsonpath={.metadata.labels.app}"], { version });
      assert.equal(l.stdout, "changed");
      const ns = await kubectl(["create", "namespace", `ns-${name}`], { version });
      assert.equal(ns.code, 0, ns.stderr);
      const d = await kubectl(["delete", "pod", name, "--timeout=20s"], { version });
      assert.equal(d.code, 0, d.stderr);
    });
  });
}
