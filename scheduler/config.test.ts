import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseSchedulerConfig } from "./config.js";
import type { NodeResourcesFit } from "./plugins/node-resources-fit.js";

const names = (xs: { name: string }[]) => xs.map((x) => x.name);

describe("scheduler config", () => {
  test("defaults: every filter, MostAllocated packing, Kubernetes' weights", () => {
    const c = parseSchedulerConfig("");
    const p = c.profiles[0]!;
    assert.equal(p.schedulerName, "default-scheduler");
    assert.equal(c.percentageOfNodesToScore, 0, "adaptive, as Kubernetes");
    assert.deepEqual(names(p.plugins.filter), [
      "NodeUnschedulable",
      "NodeName",
      "NodeReady",
      "TaintToleration",
      "NodeAffinity",
      "NodeResourcesFit",
    ]);
    assert.deepEqual(
      p.plugins.score.map((s) => [s.plugin.name, s.weight]),
      [
        ["TaintToleration", 3],
        ["NodeAffinity", 2],
        ["NodeResourcesFit", 1],
      ],
    );
    assert.equal((p.plugins.score[2]!.plugin as NodeResourcesFit).strategy, "MostAllocated");
  });

  test("profiles choose plugins, weights and strategy", () => {
    const c = parseSchedulerConfig(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 50
profiles:
- schedulerName: default-scheduler
- schedulerName: spread
  plugins:
    score:
      disabled: [{name: "*"}]
      enabled: [{name: NodeResourcesFit, weight: 2}, {name: OwnerSpread, weight: 5}]
  pluginConfig:
  - name: NodeResourcesFit
    args: {scoringStrategy: {type: LeastAllocated, resources: [{name: cpu, weight: 3}]}}
`);
    assert.equal(c.percentageOfNodesToScore, 50);
    const spread = c.profiles[1]!;
    assert.equal(spread.schedulerName, "spread");
    assert.deepEqual(
      spread.plugins.score.map((s) => [s.plugin.name, s.weight]),
      [
        ["NodeResourcesFit", 2],
        ["OwnerSpread", 5],
      ],
    );
    assert.deepEqual(names(spread.plugins.preScore), ["OwnerSpread"]);
    assert.equal((spread.plugins.score[0]!.plugin as NodeResourcesFit).strategy, "LeastAllocated");
    assert.equal(spread.plugins.filter.length, 6, "filters untouched");
  });

  const bad: [string, string, RegExp][] = [
    [
      "unknown plugin",
      "profiles: [{plugins: {filter: {enabled: [{name: Nope}]}}}]",
      /unknown plugin "Nope" \(known: /,
    ],
    [
      "negative weight",
      "profiles: [{plugins: {score: {enabled: [{name: NodeAffinity, weight: -1}]}}}]",
      /weight of NodeAffinity must be a whole number 0\.\.100, got -1/,
    ],
    [
      "fractional weight",
      "profiles: [{plugins: {score: {enabled: [{name: NodeAffinity, weight: 1.5}]}}}]",
      /weight of NodeAffinity/,
    ],
    [
      "plugin without that phase",
      "profiles: [{plugins: {score: {enabled: [{name: NodeName}]}}}]",
      /NodeName has no score phase/,
    ],
    ["unknown top-level field", "profile: []", /unknown field "profile"/],
    [
      "unknown strategy",
      "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {type: Best}}}]}]",
      /unknown scoringStrategy.type "Best"/,
    ],
    [
      "unsupported resource",
      "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {resources: [{name: gpu}]}}}]}]",
      /"gpu" is not supported/,
    ],
    [
      "bad shape",
      "profiles: [{pluginConfig: [{name: NodeResourcesFit, args: {scoringStrategy: {type: RequestedToCapacityRatio, requestedToCapacityRatio: {shape: [{utilization: 50, score: 11}]}}}}]}]",
      /score: must be a whole number 0\.\.10/,
    ],
    ["duplicate profile", "profiles: [{schedulerName: a}, {schedulerName: a}]", /"a" is used twice/],
    [
      "args for a disabled plugin",
      "profiles: [{plugins: {multiPoint: {disabled: [{name: OwnerSpread}]}}, pluginConfig: [{name: OwnerSpread, args: {}}]}]",
      /OwnerSpread is configured but not enabled/,
    ],
    ["not YAML", "profiles: [", /not valid YAML/],
  ];
  for (const [name, yaml, want] of bad) {
    test(`rejects ${name} with a clear message`, () => {
      assert.throws(
        () => parseSchedulerConfig(yaml, "sched.yaml"),
        (err: Error) => {
          assert.equal(err.name, "ConfigError");
          assert.match(err.message, want);
          assert.match(err.message, /^sched\.yaml/);
          return true;
        },
      );
    });
  }
});
