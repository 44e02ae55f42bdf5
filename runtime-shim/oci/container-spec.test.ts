// Golden files for the generated config.json: a change to the spec shows up as a reviewable diff.
// Regenerate after an intended change with K8TS_UPDATE_GOLDEN=1.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { ContainerRecord, SandboxRecord } from "../store.js";
import { containerSpec } from "./container-spec.js";

const testdata = (name: string) =>
  fileURLToPath(new URL(`../../../runtime-shim/oci/testdata/${name}`, import.meta.url));

function golden(name: string, actual: unknown): void {
  const file = testdata(name);
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.K8TS_UPDATE_GOLDEN) writeFileSync(file, text);
  assert.equal(
    text,
    readFileSync(file, "utf8"),
    `${name} differs; if intended, rerun with K8TS_UPDATE_GOLDEN=1`,
  );
}

const sandbox: SandboxRecord = {
  id: "s".repeat(64),
  config: { metadata: { name: "web-0", namespace: "default", uid: "u1" }, hostname: "web-0" },
  runtimeHandler: "",
  state: "ready",
  createdAt: 1,
  hostNetwork: false,
  ip: "10.88.1.5",
};

function container(over: Partial<ContainerRecord["spec"]>): ContainerRecord {
  return {
    id: "c".repeat(64),
    sandboxId: sandbox.id,
    spec: {
      name: "app",
      attempt: 0,
      image: { image: "busybox" },
      command: [],
      args: [],
      workingDir: "",
      env: [],
      mounts: [],
      labels: {},
      annotations: {},
      logPath: "/var/log/pods/x/app/0.log",
      resources: {},
      security: {},
      stopSignal: 0,
      ...over,
    },
    imageId: "sha256:0",
    rootfs: "/images/rootfs/0",
    argv: ["httpd", "-f", "-p", "8080"],
    env: ["PATH=/usr/bin:/bin", "MODE=prod"],
    cwd: "/www",
    state: "created",
    createdAt: 1,
    startedAt: 0,
    finishedAt: 0,
    exitCode: 0,
    reason: "",
    message: "",
    pid: 0,
    monitorPid: 0,
  };
}

const place = { netnsPath: "/run/netns/k8ts-ssss", cgroupsPath: "/k8ts/cccc" };

test("a plain container: default capabilities, pod network namespace, its own cgroup with limits", () => {
  const resources = {
    memoryLimitInBytes: 64 * 1024 * 1024,
    cpuQuota: 50_000,
    cpuPeriod: 100_000,
    cpuShares: 512,
  };
  golden("plain.golden.json", containerSpec(container({ resources }), sandbox, place));
});

test("a restricted container: user, read-only root, dropped capabilities, no-new-privileges, volumes", () => {
  const spec = container({
    security: {
      runAsUser: { value: 1000 },
      runAsGroup: { value: 3000 },
      readonlyRootfs: true,
      noNewPrivs: true,
      capabilities: { addCapabilities: ["NET_ADMIN"], dropCapabilities: ["ALL"] },
    },
    mounts: [
      { containerPath: "/data", hostPath: "/var/lib/k8ts/pods/u1/volumes/data", readonly: false },
      { containerPath: "/config", hostPath: "/var/lib/k8ts/pods/u1/volumes/config", readonly: true },
    ],
  });
  golden("restricted.golden.json", containerSpec(spec, sandbox, place));
});

test("hostNetwork and privileged: no network namespace of its own, all capabilities, nothing masked", () => {
  const spec = containerSpec(
    container({ security: { privileged: true } }),
    { ...sandbox, hostNetwork: true },
    {
      ...place,
      netnsPath: "",
    },
  );
  assert.ok(!spec.linux.namespaces.some((n) => n.type === "network"));
  assert.ok(spec.process.capabilities.bounding.includes("CAP_SYS_ADMIN"));
  assert.deepEqual(spec.linux.maskedPaths, []);
});
