import assert from "node:assert/strict";
import { test } from "node:test";
import { findResource, objectLabel, parseResourceArgs } from "./resources.js";

test("findResource resolves what users type, as kubectl does", () => {
  const cases: [string, string | undefined][] = [
    ["pods", "pods"],
    ["pod", "pods"],
    ["po", "pods"],
    ["Pod", "pods"],
    ["deploy", "deployments"],
    ["deployments.apps", "deployments"],
    ["deployment.v1.apps", "deployments"],
    ["rs", "replicasets"],
    ["no", "nodes"],
    ["ev", "events"],
    ["deployments.batch", undefined],
    ["widgets", undefined],
  ];
  for (const [typed, plural] of cases) assert.equal(findResource(typed)?.plural, plural, typed);
});

test("parseResourceArgs: TYPE NAME..., TYPE,TYPE, TYPE/NAME and all", () => {
  const show = (args: string[]) =>
    parseResourceArgs(args).map((s) => `${s.resource.plural}:${s.names.join("+")}`);
  assert.deepEqual(show(["po"]), ["pods:"]);
  assert.deepEqual(show(["pod", "a", "b"]), ["pods:a+b"]);
  assert.deepEqual(show(["pods,deploy"]), ["pods:", "deployments:"]);
  assert.deepEqual(show(["deploy/web", "po/p1", "deployment/api"]), ["deployments:web+api", "pods:p1"]);
  assert.deepEqual(show(["all"]), ["pods:", "deployments:", "replicasets:"]);
  assert.throws(() => parseResourceArgs(["widgets"]), /doesn't have a resource type "widgets"/);
  assert.throws(() => parseResourceArgs(["pods", "deploy/web"]), /resource\/name form/);
  assert.throws(() => parseResourceArgs([]), /type of resource/);
});

test("objectLabel names objects as kubectl prints them", () => {
  assert.equal(objectLabel(findResource("deploy")!, "web"), "deployment.apps/web");
  assert.equal(objectLabel(findResource("po")!, "p1"), "pod/p1");
});
