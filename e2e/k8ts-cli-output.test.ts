// Output options and generators as a user runs them, side by side with the real kubectl against a
// real API server process on a real etcd: get -o jsonpath (lists and single objects, ranges,
// filters, slices, missing fields, errors), -o custom-columns(-file), --sort-by over tables and
// objects; create/apply -o yaml|json|name; create deployment|configmap|secret generic|namespace;
// config get-contexts|current-context|use-context.
// Outputs must be the same bytes (tables with their ages folded, as ages move while a test runs).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import type { KubeObject } from "../api/index.js";
import type { RunResult } from "../testing/index.js";
import { type CliHarness, fold, ok, resource, startCliHarness } from "./cli-harness.js";

let h: CliHarness;
before(async () => {
  h = await startCliHarness();
  await h.namespace("out");
  // Names, requests and priorities chosen so that name, number and quantity orders all differ.
  const pods = [
    ["p-9", "100m", "64Mi", 7],
    ["p-10", "1", "1Gi", 3],
    ["p-2", "250m", "128Mi", 10],
    ["q", "1500m", "2Gi", 0],
  ] as const;
  const docs = pods.map(
    ([name, cpu, memory, priority]) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: ${name === "q" ? "other" : "web"}
spec:
  priority: ${priority}
  containers:
  - name: main
    image: busybox:1.36
    args: ["sleep", "3600"]
    resources:
      requests:
        cpu: "${cpu}"
        memory: ${memory}
`,
  );
  await ok(h.k8ts(["apply", "-n", "out", "-f", h.file("out-pods.yaml", docs.join("---\n"))]));
  for (const r of [10, 2, 1])
    await ok(h.kubectl(["create", "deployment", `d${r}`, "--image=nginx", `--replicas=${r}`, "-n", "out"]));
});
after(async () => {
  await h?.stop();
});

type Compare = "exact" | "fold";

/** Runs the same arguments through k8ts and kubectl, a few at a time (the machine is shared). */
async function sideBySide(cases: readonly (readonly [string[], Compare?])[], ns = "out"): Promise<void> {
  const pending = [...cases];
  const check = async ([args, how = "exact"]: readonly [string[], Compare?]) => {
    const full = [...args, "-n", ns];
    const [mine, theirs] = await Promise.all([h.k8ts(full), h.kubectl(full)]);
    const show = (r: RunResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
    const what = `${args.join(" ")}\nk8ts: ${show(mine)}\nkubectl: ${show(theirs)}`;
    assert.equal(mine.code, theirs.code, what);
    const norm = how === "fold" ? fold : (s: string) => s;
    assert.equal(norm(mine.stdout), norm(theirs.stdout), what);
    assert.equal(mine.stderr, theirs.stderr, what);
  };
  const worker = async () => {
    for (let c = pending.shift(); c; c = pending.shift()) await check(c);
  };
  await Promise.all([worker(), worker(), worker()]);
}

test("-o jsonpath prints what kubectl prints, errors included", async () => {
  const jp = (t: string, ...more: string[]): [string[]][] => [
    [["get", "pods", "-o", `jsonpath=${t}`, ...more]],
  ];
  await sideBySide([
    ...jp("{.items[*].metadata.name}"),
    ...jp('{range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[0].resources.requests.cpu}{"\\n"}{end}'),
    ...jp('{.items[?(@.metadata.labels.app=="web")].metadata.name}'),
    ...jp("{.items[?(@.spec.priority>5)].metadata.name}"),
    ...jp("{.items[0].metadata.labels}{.items[0].spec.containers[0].args}"),
    ...jp("{.items[-1:].metadata.name} {.items[0:2].metadata.name} {.items[1].metadata.name}"),
    ...jp("{..image}"),
    ...jp("{.items[*].metadata.nope}"),
    ...jp("{.items[*].metadata.nope}", "--allow-missing-template-keys=false"),
    ...jp("{.items[9].metadata.name}"),
    ...jp("{.items[0].metadata.name"),
    ...jp(""),
    [["get", "pod", "q", "-o", "jsonpath={.metadata.name} {.spec.priority} {.status.phase}"]],
    [["get", "pod", "q", "p-2", "-o", "jsonpath={.items[*].metadata.name}"]],
    [["get", "pods,deploy", "-o", "jsonpath={.items[*].kind}"]],
    [["get", "pods", "-l", "app=none", "-o", "jsonpath={.items}"]],
    [["get", "pods", "-o", "jsonpath-as-json={.items[*].metadata.name}"]],
    [["get", "pod", "q", "-o", `jsonpath-file=${h.file("tpl", "{.metadata.name}\n")}`]],
  ]);
});

test("-o custom-columns and custom-columns-file print what kubectl prints", async () => {
  const cols =
    "NAME:.metadata.name,APP:metadata.labels.app,CPU:{.spec.containers[*].resources.requests.cpu},NODE:.spec.nodeName";
  const file = h.file("cols", "NAME   REPLICAS\n.metadata.name   .spec.replicas\n");
  await sideBySide([
    [["get", "pods", "-o", `custom-columns=${cols}`]],
    [["get", "pods", "-o", `custom-columns=${cols}`, "--no-headers"]],
    [["get", "pod", "q", "-o", "custom-columns=LABELS:.metadata.labels,ARGS:.spec.containers[0].args"]],
    [["get", "deploy", "-o", `custom-columns-file=${file}`]],
    [["get", "pods", "-l", "app=none", "-o", "custom-columns=NAME:.metadata.name"]],
    [["get", "pods", "-o", "custom-columns=NAME"]],
  ]);
});

test("--sort-by orders tables and objects as kubectl does: numbers, quantities, times, names", async () => {
  const cases: [string[], Compare?][] = [];
  for (const field of [
    ".metadata.name",
    ".spec.priority",
    "{.spec.containers[0].resources.requests.cpu}",
    ".spec.containers[0].resources.requests.memory",
    ".metadata.creationTimestamp",
  ]) {
    cases.push([["get", "pods", `--sort-by=${field}`], "fold"]);
    cases.push([["get", "pods", `--sort-by=${field}`, "-o", "name"]]);
  }
  cases.push([["get", "deploy", "--sort-by=.spec.replicas"], "fold"]);
  cases.push([["get", "deploy", "--sort-by=.spec.replicas", "-o", "jsonpath={.items[*].metadata.name}"]]);
  cases.push([
    ["get", "pods", "--sort-by=.spec.priority", "-o", "custom-columns=N:.metadata.name,P:.spec.priority"],
  ]);
  cases.push([["get", "pods", "--sort-by=.metadata.nope", "-o", "json"]]);
  await sideBySide(cases);
});

test("help lists the new output options", async () => {
  const help = await ok(h.k8ts(["get", "--help"]));
  for (const flag of [
    "jsonpath=",
    "jsonpath-file=",
    "custom-columns=",
    "custom-columns-file=",
    "--sort-by",
    "--allow-missing-template-keys",
  ])
    assert.ok(help.stdout.includes(flag), flag);
});

test("create and apply -o yaml|json|name, and the generators' objects, under --dry-run=client", async () => {
  const f = h.file("lit.txt", "hello\n");
  const two = h.file(
    "two.yaml",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t1}\ndata: {a: b}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: t2}\ndata: {a: c}\n",
  );
  const dry = ["--dry-run=client"];
  const cases: [string[]][] = [];
  for (const o of ["yaml", "json", "name"]) {
    cases.push([
      ["create", "deployment", "web", "--image=nginx:1.25", "--replicas=2", "--port=80", "-o", o, ...dry],
    ]);
    cases.push([
      [
        "create",
        "configmap",
        "cm",
        "--from-literal=a=1",
        `--from-file=${f}`,
        `--from-file=k2=${f}`,
        "-o",
        o,
        ...dry,
      ],
    ]);
    cases.push([
      [
        "create",
        "secret",
        "generic",
        "s",
        "--from-literal=a=1",
        "--type=kubernetes.io/basic-auth",
        "-o",
        o,
        ...dry,
      ],
    ]);
    cases.push([["create", "-f", two, "-o", o, ...dry]]);
    cases.push([["apply", "-f", two, "-o", o, ...dry]]);
  }
  cases.push([
    [
      "create",
      "deployment",
      "two",
      "--image=nginx",
      "--image=docker.io/library/busybox:1.36",
      "-o",
      "yaml",
      ...dry,
    ],
  ]);
  cases.push([["create", "namespace", "n1", "-o", "yaml", ...dry]]);
  cases.push([["create", "configmap", "dup", "--from-literal=a=b", "--from-literal=a=c", ...dry]]);
  cases.push([["create", "configmap", "bad", "--from-literal=a", ...dry]]);
  await sideBySide(cases);
});

test("the generators store what kubectl's store; create and apply -o print the server's answer", async () => {
  const strip = (o: KubeObject) => {
    const { uid, resourceVersion, creationTimestamp, managedFields, namespace, generation, ...meta } =
      o.metadata as Record<string, unknown>;
    return { ...o, metadata: meta };
  };
  for (const ns of ["gen-k", "gen-c"]) await ok(h.kubectl(["create", "namespace", ns]));
  const runs = [
    ["create", "deployment", "web", "--image=nginx:1.25", "--replicas=3", "--port=8080"],
    ["create", "configmap", "cm", "--from-literal=a=1", "--from-literal=b=two"],
    ["create", "secret", "generic", "s", "--from-literal=user=admin"],
  ];
  for (const args of runs) {
    const [mine, theirs] = await Promise.all([
      ok(h.k8ts([...args, "-n", "gen-k", "-o", "name"])),
      ok(h.kubectl([...args, "-n", "gen-c", "-o", "name"])),
    ]);
    assert.equal(mine.stdout, theirs.stdout);
  }
  for (const [kind, name] of [
    ["Deployment", "web"],
    ["ConfigMap", "cm"],
    ["Secret", "s"],
  ] as const) {
    const [mine, theirs] = await Promise.all(
      ["gen-k", "gen-c"].map((namespace) => h.client.get(resource(kind), name, { namespace })),
    );
    assert.deepEqual(strip(mine!), strip(theirs!), kind);
  }
  // -o yaml of a real apply: the server's answer, the same object kubectl prints (ids aside).
  const cm = h.file(
    "apply-cm.yaml",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied}\ndata: {key: value}\n",
  );
  const [mine, theirs] = await Promise.all([
    ok(h.k8ts(["apply", "-f", cm, "-n", "gen-k", "-o", "json"])),
    ok(h.kubectl(["apply", "-f", cm, "-n", "gen-c", "-o", "json"])),
  ]);
  // The last-applied record names the namespace: the only difference there may be.
  const same = mine.stdout.replaceAll('\\"gen-k\\"', '\\"gen-c\\"');
  assert.deepEqual(strip(JSON.parse(same)), strip(JSON.parse(theirs.stdout)));
  assert.deepEqual(
    Object.keys(JSON.parse(mine.stdout)),
    Object.keys(JSON.parse(theirs.stdout)),
    "kubectl prints the answer with its keys sorted, as k8ts does",
  );
});

test("config get-contexts, current-context and use-context agree with kubectl's and write the file", async () => {
  const kc = h.file("contexts-kubeconfig", readFileSync(h.kubeconfig, "utf8"));
  const both = async (args: string[]) => {
    const full = [...args, "--kubeconfig", kc];
    const [mine, theirs] = await Promise.all([h.k8ts(full), h.kubectl(full)]);
    assert.deepEqual(
      { code: mine.code, out: mine.stdout, err: mine.stderr },
      { code: theirs.code, out: theirs.stdout, err: theirs.stderr },
      args.join(" "),
    );
    return mine;
  };
  await ok(
    h.kubectl(["config", "set-context", "other", "--cluster=k8ts", "--namespace=out", "--kubeconfig", kc]),
  );
  await both(["config", "get-contexts"]);
  await both(["config", "get-contexts", "-o", "name"]);
  await both(["config", "get-contexts", "nope"]);
  await both(["config", "use-context", "nope"]);
  assert.equal((await both(["config", "current-context"])).stdout, "k8ts\n");
  const switched = await ok(h.k8ts(["config", "use-context", "other", "--kubeconfig", kc]));
  assert.equal(switched.stdout, 'Switched to context "other".\n');
  assert.equal((await ok(h.kubectl(["config", "current-context", "--kubeconfig", kc]))).stdout, "other\n");
  await both(["config", "get-contexts"]);
  // The new context's namespace is used by the verbs.
  assert.match((await ok(h.k8ts(["get", "pods", "--kubeconfig", kc]))).stdout, /^NAME .*\nq /ms);
});
