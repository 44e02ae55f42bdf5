import assert from "node:assert/strict";
import { test } from "node:test";
import { CATALOG, strategicMergePatch } from "../../api/index.js";
import { type JsonObject, threeWayPatch } from "./three-way-patch.js";

const DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";

const container = (extra: JsonObject = {}): JsonObject => ({ name: "c", image: "busybox:1.36", ...extra });
const deployment = (spec: JsonObject, labels: JsonObject = { app: "web" }): JsonObject => ({
  metadata: { name: "web", labels },
  spec,
});
const withTemplate = (containers: JsonObject[], extra: JsonObject = {}) => ({
  replicas: 2,
  template: { spec: { containers } },
  ...extra,
});
// What the server adds: defaults the file never mentions must survive an apply.
const defaulted = (c: JsonObject): JsonObject => ({
  imagePullPolicy: "IfNotPresent",
  terminationMessagePath: "/dev/termination-log",
  ...c,
});

interface Case {
  name: string;
  original: JsonObject | undefined;
  modified: JsonObject;
  current: JsonObject;
  patch: JsonObject;
}

const cases: Case[] = [
  {
    name: "nothing changed: server defaults do not count as a change",
    original: deployment(withTemplate([container()])),
    modified: deployment(withTemplate([container()])),
    current: deployment(withTemplate([defaulted(container())], { revisionHistoryLimit: 10 })),
    patch: {},
  },
  {
    name: "a scalar changes",
    original: deployment(withTemplate([container()])),
    modified: deployment({ ...withTemplate([container()]), replicas: 3 }),
    current: deployment(withTemplate([defaulted(container())])),
    patch: { spec: { replicas: 3 } },
  },
  {
    name: "a label removed from the file is removed; one added by someone else stays",
    original: deployment(withTemplate([container()]), { app: "web", tier: "fe" }),
    modified: deployment(withTemplate([container()]), { app: "web" }),
    current: deployment(withTemplate([container()]), { app: "web", tier: "fe", owner: "ops" }),
    patch: { metadata: { labels: { tier: null } } },
  },
  {
    name: "an element of a merge list changes by its key, with the order",
    original: deployment(withTemplate([container(), { name: "side", image: "a" }])),
    modified: deployment(withTemplate([container({ image: "busybox:1.37" }), { name: "side", image: "a" }])),
    current: deployment(withTemplate([defaulted(container()), defaulted({ name: "side", image: "a" })])),
    patch: {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "c" }, { name: "side" }],
            containers: [{ name: "c", image: "busybox:1.37" }],
          },
        },
      },
    },
  },
  {
    name: "an element removed from the file is deleted by key",
    original: deployment(withTemplate([container(), { name: "side", image: "a" }])),
    modified: deployment(withTemplate([container()])),
    current: deployment(withTemplate([defaulted(container()), defaulted({ name: "side", image: "a" })])),
    patch: {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "c" }],
            containers: [{ $patch: "delete", name: "side" }],
          },
        },
      },
    },
  },
  {
    name: "a replaced list (command) is sent whole",
    original: deployment(withTemplate([container({ command: ["sleep", "1"] })])),
    modified: deployment(withTemplate([container({ command: ["sleep", "2"] })])),
    current: deployment(withTemplate([defaulted(container({ command: ["sleep", "1"] }))])),
    patch: {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "c" }],
            containers: [{ name: "c", command: ["sleep", "2"] }],
          },
        },
      },
    },
  },
  {
    name: "switching the strategy keeps only the file's keys ($retainKeys)",
    original: deployment(withTemplate([container()])),
    modified: deployment(withTemplate([container()], { strategy: { type: "Recreate" } })),
    current: deployment(
      withTemplate([container()], {
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%" } },
      }),
    ),
    patch: { spec: { strategy: { type: "Recreate", $retainKeys: ["type"] } } },
  },
  {
    name: "finalizers: a set with additions and $deleteFromPrimitiveList",
    original: { metadata: { name: "web", finalizers: ["a", "b"] } },
    modified: { metadata: { name: "web", finalizers: ["a", "c"] } },
    current: { metadata: { name: "web", finalizers: ["a", "b"] } },
    patch: {
      metadata: {
        "$setElementOrder/finalizers": ["a", "c"],
        finalizers: ["c"],
        "$deleteFromPrimitiveList/finalizers": ["b"],
      },
    },
  },
  {
    name: "no last-applied yet: nothing is deleted, only set",
    original: undefined,
    modified: deployment(withTemplate([container()]), { app: "web" }),
    current: deployment(withTemplate([container()]), { app: "web", tier: "fe" }),
    patch: {},
  },
];

for (const c of cases) {
  test(`threeWayPatch: ${c.name}`, () => {
    const patch = threeWayPatch(c.original, c.modified, c.current, CATALOG, DEPLOYMENT);
    assert.deepEqual(patch, c.patch);
    // Applied by the server's own strategic merge patch, the result holds the file's content.
    const merged = strategicMergePatch(c.current, patch, CATALOG, DEPLOYMENT) as JsonObject;
    assert.deepEqual(threeWayPatch(c.original, c.modified, merged, CATALOG, DEPLOYMENT), {});
  });
}
