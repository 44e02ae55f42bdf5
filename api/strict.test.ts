import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { CATALOG } from "./catalog/index.js";
import { RESOURCES } from "./resources.js";
import type { FieldSchema } from "./schema.js";
import { checkAgainstSchema, findDuplicateKeys } from "./strict.js";
import {
  DEPLOYMENT_YAML,
  KUBECTL_CREATE_DEPLOYMENT,
  KUBECTL_RUN_POD,
  POD_YAML,
  RECORDED_EVENT,
} from "./testdata/manifests.js";

const POD = "io.k8s.api.core.v1.Pod";

test("real-world Deployment and Pod manifests decode with no problems", () => {
  assert.deepEqual(checkAgainstSchema("io.k8s.api.apps.v1.Deployment", parse(DEPLOYMENT_YAML)), []);
  assert.deepEqual(checkAgainstSchema(POD, parse(POD_YAML)), []);
});

test("objects kubectl and client-go generate decode with no problems", () => {
  assert.deepEqual(checkAgainstSchema("io.k8s.api.apps.v1.Deployment", KUBECTL_CREATE_DEPLOYMENT), []);
  assert.deepEqual(checkAgainstSchema(POD, KUBECTL_RUN_POD), []);
  assert.deepEqual(checkAgainstSchema("io.k8s.api.core.v1.Event", RECORDED_EVENT), []);
});

test("unknown fields are reported by path, as strict decoding words them", () => {
  const cases: [yaml: string, paths: string[]][] = [
    ["metadata: {name: a}\nspec: {containers: [{name: c, imagez: x}]}", ["spec.containers[0].imagez"]],
    ["metadata: {name: a}\nspec: {foo: 1}", ["spec.foo"]],
    ["metadata: {name: a, labelz: {}}\nextra: true", ["metadata.labelz", "extra"]],
    [
      "metadata: {name: a}\nspec: {containers: [{name: c}, {name: d, ports: [{containerPort: 1, hostport: 2}]}]}",
      ["spec.containers[1].ports[0].hostport"],
    ],
    [
      "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nstatus: {phase: Running, podIPs: [{ip: 1.2.3.4, v: 4}]}",
      ["status.podIPs[0].v"],
    ],
  ];
  for (const [yaml, paths] of cases) {
    const problems = checkAgainstSchema(POD, parse(yaml));
    assert.deepEqual(
      problems.map((p) => [p.kind, p.path, p.message]),
      paths.map((p) => ["unknown", p, `unknown field "${p}"`]),
      yaml,
    );
  }
});

test("wrong JSON types are reported as encoding/json does", () => {
  const cases: [value: unknown, message: string][] = [
    [
      { metadata: {}, spec: { containers: [{ name: "c", ports: [{ containerPort: "80" }] }] } },
      "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
    ],
    [
      { metadata: { labels: { a: 1 } } },
      "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
    ],
    [
      { metadata: {}, spec: { containers: {} } },
      "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container",
    ],
    [
      { metadata: {}, spec: { terminationGracePeriodSeconds: 1.5 } },
      "json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64",
    ],
    [
      { metadata: {}, spec: { hostNetwork: "yes" } },
      "json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool",
    ],
    [
      { metadata: {}, spec: { containers: [{ name: "c", resources: { limits: { cpu: "lots" } } }] } },
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    ],
  ];
  for (const [value, message] of cases) {
    const problems = checkAgainstSchema(POD, value);
    assert.deepEqual(
      problems.map((p) => [p.kind, p.message]),
      [["type", message]],
    );
  }
  assert.equal(
    checkAgainstSchema(POD, [1])[0]?.message,
    "json: cannot unmarshal array into Go value of type v1.Pod",
  );
});

test("Secret data must be base64; null is always accepted", () => {
  const secret = "io.k8s.api.core.v1.Secret";
  assert.deepEqual(
    checkAgainstSchema(secret, { metadata: { name: "s" }, data: { a: "aGVsbG8=" }, type: null }),
    [],
  );
  assert.deepEqual(
    checkAgainstSchema(secret, { metadata: { name: "s" }, data: { a: "not base64!" } }).map((p) => p.message),
    ["illegal base64 data at input byte 3"],
  );
  assert.deepEqual(
    checkAgainstSchema(POD, { metadata: { creationTimestamp: null }, spec: null, status: {} }),
    [],
  );
});

test("prune deletes unknown fields in place and keeps the rest", () => {
  const pod = parse("metadata: {name: a, bogus: 1}\nspec: {containers: [{name: c, image: i, imagez: x}]}");
  const problems = checkAgainstSchema(POD, pod, { prune: true });
  assert.deepEqual(
    problems.map((p) => p.path),
    ["metadata.bogus", "spec.containers[0].imagez"],
  );
  assert.deepEqual(pod, { metadata: { name: "a" }, spec: { containers: [{ name: "c", image: "i" }] } });
  assert.deepEqual(checkAgainstSchema(POD, pod), []);
});

test("findDuplicateKeys reports repeated keys by path", () => {
  assert.deepEqual(findDuplicateKeys('{"a":1,"b":{"c":"x\\"y","c":[]}}'), ['duplicate field "b.c"']);
  assert.deepEqual(findDuplicateKeys('{"spec":{"containers":[{"name":"a","name":"b"}]},"spec":null}'), [
    'duplicate field "spec.containers[0].name"',
    'duplicate field "spec"',
  ]);
  assert.deepEqual(findDuplicateKeys('{"a":[1, true, null, {"x": -1.5e3}],"b":{}}'), []);
  for (const broken of ['{"a":1,"a"', '{"a":[1,', '{"a', "[", ""])
    assert.ok(Array.isArray(findDuplicateKeys(broken)));
});

test("findDuplicateKeys finds repeats in objects of many keys, and keeps sibling objects apart", () => {
  const keys = Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`);
  // Repeats of an early key and of a late one, past the point where the check changes method.
  const data = `{${keys.join(",")},"k3":0,"k39":0}`;
  assert.deepEqual(findDuplicateKeys(`{"data":${data},"items":[{"a":1},{"a":2}]}`), [
    'duplicate field "data.k3"',
    'duplicate field "data.k39"',
  ]);
  // The same key in two objects at one depth is no repeat.
  assert.deepEqual(findDuplicateKeys('{"x":{"a":1,"b":{"a":1}},"y":{"a":1,"b":1}}'), []);
});

test("the catalog is closed: every ref resolves, every resource root exists, merge keys are fields", () => {
  const check = (f: FieldSchema, where: string): void => {
    if (f.type === "object") assert.ok(CATALOG.has(f.ref), `${where} -> ${f.ref}`);
    if (f.type === "map") check(f.values, where);
    if (f.type === "array") {
      check(f.items, where);
      if (f.patchMergeKey) {
        assert.equal(f.items.type, "object", where);
        const item = f.items.type === "object" ? CATALOG.get(f.items.ref) : undefined;
        assert.ok(item && f.patchMergeKey in item.fields, `${where}: merge key ${f.patchMergeKey}`);
      }
    }
  };
  for (const s of CATALOG.values())
    for (const [name, f] of Object.entries(s.fields)) check(f, `${s.name}.${name}`);
  for (const r of RESOURCES) assert.ok(CATALOG.has(r.schema), r.schema);
});

test("the catalog carries Kubernetes' patch strategies and merge keys", () => {
  const field = (struct: string, name: string) =>
    CATALOG.get(struct)?.fields[name] as Record<string, unknown>;
  const core = (n: string) => `io.k8s.api.core.v1.${n}`;
  const cases: [string, string, string | undefined, string | undefined][] = [
    ["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ownerReferences", "merge", "uid"],
    ["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers", "merge", undefined],
    [core("PodSpec"), "containers", "merge", "name"],
    [core("PodSpec"), "initContainers", "merge", "name"],
    [core("PodSpec"), "volumes", "merge,retainKeys", "name"],
    [core("PodSpec"), "imagePullSecrets", "merge", "name"],
    [core("PodSpec"), "hostAliases", "merge", "ip"],
    [core("PodSpec"), "topologySpreadConstraints", "merge", "topologyKey"],
    [core("PodSpec"), "tolerations", undefined, undefined],
    [core("Container"), "ports", "merge", "containerPort"],
    [core("Container"), "env", "merge", "name"],
    [core("Container"), "volumeMounts", "merge", "mountPath"],
    [core("Container"), "envFrom", undefined, undefined],
    [core("PodStatus"), "conditions", "merge", "type"],
    [core("PodStatus"), "podIPs", "merge", "ip"],
    [core("PodStatus"), "hostIPs", "merge", "ip"],
    [core("NodeStatus"), "addresses", "merge", "type"],
    [core("NodeStatus"), "conditions", "merge", "type"],
    [core("NodeSpec"), "podCIDRs", "merge", undefined],
    ["io.k8s.api.apps.v1.DeploymentSpec", "strategy", "retainKeys", undefined],
    ["io.k8s.api.apps.v1.DeploymentStatus", "conditions", "merge", "type"],
    ["io.k8s.api.apps.v1.ReplicaSetStatus", "conditions", "merge", "type"],
  ];
  for (const [struct, name, strategy, key] of cases) {
    const f = field(struct, name);
    assert.ok(f, `${struct}.${name}`);
    assert.equal(f.patchStrategy, strategy, `${struct}.${name} strategy`);
    assert.equal(f.patchMergeKey, key, `${struct}.${name} merge key`);
  }
});
