import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { configMap, containerName, deployment, genericSecret } from "./index.js";

test("container names from images, as kubectl derives them", () => {
  const cases: [string, string][] = [
    ["nginx", "nginx"],
    ["nginx:1.25", "nginx"],
    ["docker.io/library/busybox:1.36", "busybox"],
    ["registry:5000/team/app@sha256:abc", "app"],
    ["a/b_c:1", "b-c-xyz12"],
  ];
  for (const [image, name] of cases)
    assert.equal(
      containerName(image, () => "xyz12"),
      name,
      image,
    );
});

test("deployment: app label, replicas always written, the port on the first container only", () => {
  const d = deployment("web", undefined, {
    images: ["nginx", "busybox"],
    replicas: 1,
    port: 80,
    command: [],
  });
  const spec = (d as unknown as { spec: { replicas: number; template: { spec: { containers: object[] } } } })
    .spec;
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.template.spec.containers, [
    { name: "nginx", image: "nginx", ports: [{ containerPort: 80 }], resources: {} },
    { name: "busybox", image: "busybox", resources: {} },
  ]);
  assert.deepEqual(d.metadata, { name: "web", creationTimestamp: null, labels: { app: "web" } });
  assert.throws(
    () => deployment("web", undefined, { images: [], replicas: 1, command: [] }),
    /"image" not set/,
  );
});

test("configmap and secret data: literals and files, keys in order, binary apart, duplicates refused", () => {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-gen-"));
  try {
    writeFileSync(join(dir, "text"), "hello\n");
    writeFileSync(join(dir, "bin"), Buffer.from([0xff, 0x00, 0xfe]));
    const cm = configMap("c", "ns", { literals: ["z=1"], files: [dir] }) as unknown as Record<
      string,
      unknown
    >;
    assert.deepEqual(cm.data, { text: "hello\n", z: "1" });
    assert.deepEqual(cm.binaryData, { bin: "/wD+" });
    assert.deepEqual(Object.keys(cm.data as object), ["text", "z"]);
    const s = genericSecret("s", undefined, { literals: ["a=1"], files: [] }) as unknown as Record<
      string,
      unknown
    >;
    assert.deepEqual(s.data, { a: "MQ==" });
    assert.equal(s.type, undefined);
    assert.throws(() => configMap("x", undefined, { literals: ["a=b", "a=c"], files: [] }), {
      message: 'cannot add key "a", another key by that name already exists in Data for ConfigMap "x"',
    });
    assert.throws(
      () => configMap("x", undefined, { literals: ["a"], files: [] }),
      /invalid literal source a/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
