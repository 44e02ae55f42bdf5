// Table-driven tests of each Filter and Score plugin: pure functions of (pod, node).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Pod } from "../../api/index.js";
import { makeNode, makePod, type NodeSpecOptions } from "../fixtures.js";
import { CycleState } from "../framework/cycle-state.js";
import type { FilterPlugin, PreFilterPlugin } from "../framework/interface.js";
import { NodeInfo, podInfoFor } from "../framework/node-info.js";
import { NodeAffinity } from "./node-affinity.js";
import { NodeName } from "./node-name.js";
import { NodeReady } from "./node-ready.js";
import { factory as fitFactory, NodeResourcesFit } from "./node-resources-fit.js";
import { NodeUnschedulable } from "./node-unschedulable.js";
import { OwnerSpread } from "./owner-spread.js";
import { TaintToleration } from "./taint-toleration.js";

function nodeInfo(name: string, o: NodeSpecOptions = {}, pods: Pod[] = []): NodeInfo {
  const ni = new NodeInfo(name, makeNode(name, o));
  for (const p of pods) ni.addPod(podInfoFor(p));
  return ni;
}

/** PreFilter (if any) then Filter; a Skip from PreFilter means the node passes. */
function runFilter(plugin: FilterPlugin & Partial<PreFilterPlugin>, pod: Pod, node: NodeInfo): string {
  const state = new CycleState();
  const pre = plugin.preFilter?.(state, pod);
  if (pre?.code === "Skip") return "Success";
  const s = plugin.filter(state, pod, node);
  return s.isSuccess() ? "Success" : `${s.code}: ${s.message()}`;
}

interface FilterCase {
  name: string;
  pod: Pod;
  node: NodeInfo;
  want: string;
}

function filterTable(plugin: FilterPlugin & Partial<PreFilterPlugin>, cases: FilterCase[]): void {
  for (const c of cases) test(c.name, () => assert.equal(runFilter(plugin, c.pod, c.node), c.want));
}

describe("NodeResourcesFit filter", () => {
  filterTable(new NodeResourcesFit(), [
    {
      name: "fits in an empty node",
      pod: makePod("p", { cpu: "1", memory: "1Gi" }),
      node: nodeInfo("n"),
      want: "Success",
    },
    {
      name: "fits exactly",
      pod: makePod("p", { cpu: "3" }),
      node: nodeInfo("n", {}, [makePod("q", { cpu: "1" })]),
      want: "Success",
    },
    {
      name: "cpu short by one millicore",
      pod: makePod("p", { cpu: "3001m" }),
      node: nodeInfo("n", {}, [makePod("q", { cpu: "1" })]),
      want: "Unschedulable: Insufficient cpu",
    },
    {
      name: "cpu and memory both short: both reasons",
      pod: makePod("p", { cpu: "5", memory: "9Gi" }),
      node: nodeInfo("n"),
      want: "Unschedulable: Insufficient cpu, Insufficient memory",
    },
    {
      name: "a pod without requests fits a full node...",
      pod: makePod("p"),
      node: nodeInfo("n", { cpu: "1" }, [makePod("q", { cpu: "1" })]),
      want: "Success",
    },
    {
      name: "...but not past max pods",
      pod: makePod("p"),
      node: nodeInfo("n", { pods: "1" }, [makePod("q")]),
      want: "Unschedulable: Too many pods",
    },
  ]);

  test("init containers count by their largest, not added to the app containers", () => {
    const withInit = (cpu: string): Pod => {
      const pod = makePod("p", { cpu: "1" });
      return {
        ...pod,
        spec: { ...pod.spec!, initContainers: [{ name: "i", image: "x", resources: { requests: { cpu } } }] },
      };
    };
    assert.equal(runFilter(new NodeResourcesFit(), withInit("3"), nodeInfo("n")), "Success");
    assert.equal(
      runFilter(new NodeResourcesFit(), withInit("5"), nodeInfo("n")),
      "Unschedulable: Insufficient cpu",
    );
  });
});

describe("NodeName filter", () => {
  filterTable(new NodeName(), [
    { name: "no nodeName: any node", pod: makePod("p"), node: nodeInfo("a"), want: "Success" },
    { name: "the named node", pod: makePod("p", { nodeName: "a" }), node: nodeInfo("a"), want: "Success" },
    {
      name: "another node",
      pod: makePod("p", { nodeName: "b" }),
      node: nodeInfo("a"),
      want: "UnschedulableAndUnresolvable: node(s) didn't match the requested node name",
    },
  ]);
});

describe("NodeUnschedulable filter", () => {
  filterTable(new NodeUnschedulable(), [
    { name: "schedulable node", pod: makePod("p"), node: nodeInfo("a"), want: "Success" },
    {
      name: "cordoned node",
      pod: makePod("p"),
      node: nodeInfo("a", { unschedulable: true }),
      want: "UnschedulableAndUnresolvable: node(s) were unschedulable",
    },
    {
      name: "cordoned, but the pod tolerates the unschedulable taint",
      pod: makePod("p", { tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists" }] }),
      node: nodeInfo("a", { unschedulable: true }),
      want: "Success",
    },
  ]);
});

describe("NodeReady filter", () => {
  filterTable(new NodeReady(), [
    { name: "Ready=True", pod: makePod("p"), node: nodeInfo("a"), want: "Success" },
    {
      name: "Ready=False",
      pod: makePod("p"),
      node: nodeInfo("a", { ready: false }),
      want: "UnschedulableAndUnresolvable: node(s) were not ready",
    },
    {
      name: "not ready, tolerated (as DaemonSet pods do)",
      pod: makePod("p", {
        tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" }],
      }),
      node: nodeInfo("a", { ready: false }),
      want: "Success",
    },
  ]);
});

describe("TaintToleration filter", () => {
  const gpu = { key: "gpu", value: "yes", effect: "NoSchedule" as const };
  filterTable(new TaintToleration(), [
    { name: "no taints", pod: makePod("p"), node: nodeInfo("a"), want: "Success" },
    {
      name: "untolerated NoSchedule",
      pod: makePod("p"),
      node: nodeInfo("a", { taints: [gpu] }),
      want: "UnschedulableAndUnresolvable: node(s) had untolerated taint {gpu: yes}",
    },
    {
      name: "untolerated NoExecute",
      pod: makePod("p"),
      node: nodeInfo("a", { taints: [{ key: "k", effect: "NoExecute" }] }),
      want: "UnschedulableAndUnresolvable: node(s) had untolerated taint {k: }",
    },
    {
      name: "PreferNoSchedule does not filter",
      pod: makePod("p"),
      node: nodeInfo("a", { taints: [{ key: "k", effect: "PreferNoSchedule" }] }),
      want: "Success",
    },
    {
      name: "Equal toleration with the right value",
      pod: makePod("p", { tolerations: [{ key: "gpu", operator: "Equal", value: "yes" }] }),
      node: nodeInfo("a", { taints: [gpu] }),
      want: "Success",
    },
    {
      name: "Equal toleration with the wrong value",
      pod: makePod("p", { tolerations: [{ key: "gpu", operator: "Equal", value: "no" }] }),
      node: nodeInfo("a", { taints: [gpu] }),
      want: "UnschedulableAndUnresolvable: node(s) had untolerated taint {gpu: yes}",
    },
    {
      name: "toleration for another effect",
      pod: makePod("p", { tolerations: [{ key: "gpu", operator: "Exists", effect: "NoExecute" }] }),
      node: nodeInfo("a", { taints: [gpu] }),
      want: "UnschedulableAndUnresolvable: node(s) had untolerated taint {gpu: yes}",
    },
    {
      name: "empty key with Exists tolerates everything",
      pod: makePod("p", { tolerations: [{ operator: "Exists" }] }),
      node: nodeInfo("a", { taints: [gpu, { key: "x", effect: "NoExecute" }] }),
      want: "Success",
    },
  ]);
});

describe("NodeAffinity filter", () => {
  const MISMATCH = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";
  const required = (
    key: string,
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt",
    values?: string[],
  ) =>
    makePod("p", {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] }],
          },
        },
      },
    });
  const node = nodeInfo("a", { labels: { disk: "ssd", cores: "16" } });
  filterTable(new NodeAffinity(), [
    { name: "no selector, no affinity", pod: makePod("p"), node, want: "Success" },
    {
      name: "nodeSelector matches",
      pod: makePod("p", { nodeSelector: { disk: "ssd" } }),
      node,
      want: "Success",
    },
    {
      name: "nodeSelector differs",
      pod: makePod("p", { nodeSelector: { disk: "hdd" } }),
      node,
      want: MISMATCH,
    },
    { name: "In", pod: required("disk", "In", ["hdd", "ssd"]), node, want: "Success" },
    { name: "In, no value matches", pod: required("disk", "In", ["hdd"]), node, want: MISMATCH },
    { name: "NotIn", pod: required("disk", "NotIn", ["hdd"]), node, want: "Success" },
    { name: "NotIn, listed", pod: required("disk", "NotIn", ["ssd"]), node, want: MISMATCH },
    { name: "NotIn, label absent", pod: required("zone", "NotIn", ["a"]), node, want: "Success" },
    { name: "Exists", pod: required("disk", "Exists"), node, want: "Success" },
    { name: "Exists, absent", pod: required("zone", "Exists"), node, want: MISMATCH },
    { name: "DoesNotExist", pod: required("zone", "DoesNotExist"), node, want: "Success" },
    { name: "DoesNotExist, present", pod: required("disk", "DoesNotExist"), node, want: MISMATCH },
    { name: "Gt", pod: required("cores", "Gt", ["8"]), node, want: "Success" },
    { name: "Gt, equal is not greater", pod: required("cores", "Gt", ["16"]), node, want: MISMATCH },
    { name: "Lt", pod: required("cores", "Lt", ["32"]), node, want: "Success" },
    { name: "Gt on a non-number label", pod: required("disk", "Gt", ["1"]), node, want: MISMATCH },
    {
      name: "terms are ORed",
      pod: makePod("p", {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "disk", operator: "In", values: ["hdd"] }] },
                { matchFields: [{ key: "metadata.name", operator: "In", values: ["a"] }] },
              ],
            },
          },
        },
      }),
      node,
      want: "Success",
    },
    {
      name: "an empty term matches nothing",
      pod: makePod("p", {
        affinity: {
          nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } },
        },
      }),
      node,
      want: MISMATCH,
    },
  ]);
});

/** Runs PreScore, Score over all nodes and NormalizeScore, like the framework. */
function scores(
  plugin: {
    preScore?(s: CycleState, p: Pod, n: NodeInfo[]): { code: string };
    score(s: CycleState, p: Pod, n: NodeInfo): number;
    normalizeScore?(s: CycleState, p: Pod, sc: Float64Array): void;
  },
  pod: Pod,
  nodes: NodeInfo[],
  preFilter?: PreFilterPlugin,
): number[] | "skip" {
  const state = new CycleState();
  preFilter?.preFilter(state, pod);
  if (plugin.preScore?.(state, pod, nodes).code === "Skip") return "skip";
  const out = new Float64Array(nodes.map((n) => plugin.score(state, pod, n)));
  plugin.normalizeScore?.(state, pod, out);
  return [...out].map((x) => Math.round(x));
}

describe("Score plugins", () => {
  test("NodeResourcesFit MostAllocated prefers the fuller node; LeastAllocated the emptier", () => {
    const nodes = [nodeInfo("empty"), nodeInfo("half", {}, [makePod("q", { cpu: "2", memory: "4Gi" })])];
    const pod = makePod("p", { cpu: "1", memory: "2Gi" });
    const most = fitFactory(undefined) as NodeResourcesFit;
    assert.deepEqual(scores(most, pod, nodes, most), [25, 75]);
    const least = fitFactory({ scoringStrategy: { type: "LeastAllocated" } }) as NodeResourcesFit;
    assert.deepEqual(scores(least, pod, nodes, least), [75, 25]);
  });

  test("NodeResourcesFit counts a request-less pod as 100m cpu and 200 MiB for scoring", () => {
    const fit = fitFactory({
      scoringStrategy: { resources: [{ name: "cpu", weight: 1 }] },
    }) as NodeResourcesFit;
    // 100m of 1000m: 10.
    assert.deepEqual(scores(fit, makePod("p"), [nodeInfo("n", { cpu: "1" })], fit), [10]);
  });

  test("TaintToleration scores untolerated PreferNoSchedule taints, fewer is better", () => {
    const soft = (k: string) => ({ key: k, effect: "PreferNoSchedule" as const });
    const nodes = [
      nodeInfo("clean"),
      nodeInfo("one", { taints: [soft("a")] }),
      nodeInfo("two", { taints: [soft("a"), soft("b")] }),
    ];
    assert.deepEqual(scores(new TaintToleration(), makePod("p"), nodes), [100, 50, 0]);
    const tolerant = makePod("p", { tolerations: [{ key: "a", operator: "Exists" }] });
    assert.deepEqual(scores(new TaintToleration(), tolerant, nodes), [100, 100, 0]);
  });

  test("NodeAffinity scores the weights of matching preferred terms, best → 100", () => {
    const pod = makePod("p", {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 80,
              preference: { matchExpressions: [{ key: "disk", operator: "In", values: ["ssd"] }] },
            },
            { weight: 20, preference: { matchExpressions: [{ key: "zone", operator: "Exists" }] } },
          ],
        },
      },
    });
    const nodes = [
      nodeInfo("both", { labels: { disk: "ssd", zone: "a" } }),
      nodeInfo("ssd", { labels: { disk: "ssd" } }),
      nodeInfo("zone", { labels: { zone: "b" } }),
      nodeInfo("none"),
    ];
    assert.deepEqual(scores(new NodeAffinity(), pod, nodes), [100, 80, 20, 0]);
    assert.equal(scores(new NodeAffinity(), makePod("q"), nodes), "skip");
  });

  test("OwnerSpread prefers nodes with fewer pods of the same owner; unowned pods skip it", () => {
    const mine = (n: string) => makePod(n, { ownerUid: "rs-1" });
    const nodes = [
      nodeInfo("two", {}, [mine("a"), mine("b")]),
      nodeInfo("one", {}, [mine("c"), makePod("other", { ownerUid: "rs-2" })]),
      nodeInfo("none"),
    ];
    assert.deepEqual(scores(new OwnerSpread(), mine("new"), nodes), [0, 50, 100]);
    assert.equal(scores(new OwnerSpread(), makePod("loner"), nodes), "skip");
  });
});
