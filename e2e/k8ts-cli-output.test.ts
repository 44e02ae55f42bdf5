// `k8ts get`'s output options as a user runs them, side by side with the real kubectl against a
// real API server process on a real etcd: -o jsonpath (lists and single objects, ranges, filters,
// slices, missing fields, errors), -o custom-columns(-file), and --sort-by over tables and objects.
// Outputs must be the same bytes (tables with their ages folded, as ages move while a test runs).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { RunResult } from "../testing/index.js";
import { type CliHarness, fold, ok, startCliHarness } from "./cli-harness.js";

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
async function sideBySide(cases: readonly (readonly [string[], Compare?])[]): Promise<void> {
  const pending = [...cases];
  const check = async ([args, how = "exact"]: readonly [string[], Compare?]) => {
    const full = [...args, "-n", "out"];
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
