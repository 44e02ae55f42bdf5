// The k8ts kubectl-like verbs as a user runs them: the CLI as a process against a real API server
// process on a real etcd, side by side with the real kubectl doing the same thing (same objects,
// same tables). One API server for the whole file; each test works in its own namespace. Watching
// (k8ts-cli-watch), how writes are sent (k8ts-cli-write-options: --dry-run, --cascade, --now) and
// logs of several containers (k8ts-cli-logs) have their own files and servers.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Deployment, ReplicaSet } from "../api/index.js";
import type { RestClient } from "../client/index.js";
import { type Daemon, K8TS_MAIN, run, startK8ts, waitFor } from "../testing/index.js";
import { type CliHarness, DEPLOY, fold, ok, POD, resource, startCliHarness } from "./cli-harness.js";
import { type FakeNodeAgent, fakeAgentNode, startFakeNodeAgent } from "./fake-node-agent.js";

let h: CliHarness;
let dir: string;
let kubeconfig: string;
let client: RestClient;
const env = () => h.env();
const k8ts: CliHarness["k8ts"] = (args, opts) => h.k8ts(args, opts);
const kubectl: CliHarness["kubectl"] = (args, opts) => h.kubectl(args, opts);
const file = (name: string, text: string) => h.file(name, text);
const namespace = (name: string) => h.namespace(name);

before(async () => {
  h = await startCliHarness();
  ({ dir, kubeconfig, client } = h);
});

after(async () => {
  await h?.stop();
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
      ["get", "pods,deploy", "--no-headers"],
      ["get", "pod", "p1", "nope", "--ignore-not-found"],
    ]) {
      const mine = await ok(k8ts([...args, "-n", "tables"]));
      const theirs = await ok(kubectl([...args, "-n", "tables"]));
      assert.equal(fold(mine.stdout), fold(theirs.stdout), args.join(" "));
    }
    const none = await ok(k8ts(["get", "pods", "-l", "app=nothing", "-n", "tables"]));
    assert.equal(none.stderr, "No resources found in tables namespace.\n");
    for (const args of [
      ["get", "pod", "nope"],
      ["get", "pods", "-l", "app=nothing"],
    ]) {
      const quiet = await ok(k8ts([...args, "--ignore-not-found", "-n", "tables"]));
      assert.equal(quiet.stderr + quiet.stdout, "", args.join(" "));
    }
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
    const flag = await k8ts(["get", "pods", "--show-kind"]);
    assert.equal(flag.code, 1);
    assert.equal(flag.stderr, "k8ts: unknown flag: --show-kind. Run with --help to see the flags.\n");
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
    const base = fakeAgentNode(agent);
    const resources = { cpu: "2", memory: "4Gi", pods: "110" };
    const node = {
      ...base,
      metadata: { ...base.metadata, labels: { "node-role.kubernetes.io/worker": "" } },
      status: { ...base.status, capacity: resources, allocatable: resources },
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
    const json = JSON.parse((await ok(k8ts(["version", "-o", "json"]))).stdout);
    const theirs = JSON.parse((await ok(kubectl(["version", "-o", "json"]))).stdout);
    assert.match(json.clientVersion.gitVersion, /^v\d+\.\d+\.\d+$/);
    assert.deepEqual(json.serverVersion, theirs.serverVersion);
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
