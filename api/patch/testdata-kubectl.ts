// Patches real kubectl sends (kubectl-compat.md §5.2, §11.3, §12) with the live objects they were
// computed against, and what a user must see afterwards. Shared by the test against the fixture
// catalog and the test against the real catalog, so both prove the same behaviour.

import assert from "node:assert/strict";

export interface KubectlPatchCase {
  name: string;
  root: string;
  live: unknown;
  patch: unknown;
  /** Checks the patched object field by field. */
  check(result: any): void;
}

const DEPLOYMENT = "io.k8s.api.apps.v1.Deployment";
const NODE = "io.k8s.api.core.v1.Node";

const lastApplied = (spec: string) => `{"apiVersion":"apps/v1","kind":"Deployment",${spec}}\n`;

/** The live Deployment from m/d3a.yaml: label tier, finalizers a and b, RollingUpdate, an emptyDir volume, env. */
const d3a = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "d3",
    namespace: "default",
    uid: "7d0c2c9e-1f5e-4d0a-9a55-0b1f0f7e8a01",
    resourceVersion: "120",
    generation: 1,
    labels: { app: "d3", tier: "backend" },
    annotations: {
      "deployment.kubernetes.io/revision": "1",
      "kubectl.kubernetes.io/last-applied-configuration": lastApplied('"metadata":{"name":"d3"}'),
    },
    finalizers: ["example.com/a", "example.com/b"],
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "d3" } },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
    template: {
      metadata: { labels: { app: "d3" } },
      spec: {
        containers: [
          {
            name: "c",
            image: "busybox",
            command: ["sleep", "10"],
            env: [{ name: "MODE", value: "fast" }],
            imagePullPolicy: "Always",
            volumeMounts: [{ name: "data", mountPath: "/data" }],
          },
        ],
        volumes: [{ name: "data", emptyDir: {} }],
      },
    },
  },
  status: { observedGeneration: 1, replicas: 1 },
};

/** The live Deployment from m/deploy.yaml: nginx with env A, B and ports 80, 443, plus a sidecar. */
const deploy = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default", labels: { app: "web" } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [
          {
            name: "nginx",
            image: "nginx:1.25",
            imagePullPolicy: "IfNotPresent",
            env: [
              { name: "A", value: "1" },
              { name: "B", value: "2" },
            ],
            ports: [
              { containerPort: 80, protocol: "TCP" },
              { containerPort: 443, protocol: "TCP" },
            ],
          },
          { name: "sidecar", image: "busybox", command: ["sleep", "infinity"] },
        ],
      },
    },
  },
};

const node = {
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: "node-1", labels: { "kubernetes.io/hostname": "node-1" } },
  spec: { podCIDRs: ["10.244.1.0/24"] },
};

export const KUBECTL_PATCHES: KubectlPatchCase[] = [
  {
    name: "apply d3a.yaml -> d3b.yaml (every directive at once, §5.2)",
    root: DEPLOYMENT,
    live: d3a,
    patch: {
      metadata: {
        "$deleteFromPrimitiveList/finalizers": ["example.com/b"],
        "$setElementOrder/finalizers": ["example.com/a"],
        annotations: {
          "kubectl.kubernetes.io/last-applied-configuration": lastApplied('"metadata":{"name":"d3b"}'),
        },
        labels: { tier: null },
      },
      spec: {
        strategy: { $retainKeys: ["type"], rollingUpdate: null, type: "Recreate" },
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "c" }],
            "$setElementOrder/volumes": [{ name: "data" }],
            containers: [{ command: ["sleep", "20"], env: null, name: "c" }],
            volumes: [
              {
                $retainKeys: ["configMap", "name"],
                configMap: { name: "cfg" },
                emptyDir: null,
                name: "data",
              },
            ],
          },
        },
      },
    },
    check(r) {
      assert.deepEqual(r.metadata.labels, { app: "d3" });
      assert.deepEqual(r.metadata.finalizers, ["example.com/a"]);
      assert.equal(
        r.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"],
        lastApplied('"metadata":{"name":"d3b"}'),
      );
      assert.equal(r.metadata.annotations["deployment.kubernetes.io/revision"], "1");
      assert.deepEqual(r.spec.strategy, { type: "Recreate" });
      assert.deepEqual(r.spec.template.spec.volumes, [{ name: "data", configMap: { name: "cfg" } }]);
      const [c, ...others] = r.spec.template.spec.containers;
      assert.deepEqual(others, []);
      assert.deepEqual(c.command, ["sleep", "20"]);
      assert.equal("env" in c, false);
      assert.equal(c.image, "busybox");
      assert.equal(c.imagePullPolicy, "Always");
      assert.deepEqual(c.volumeMounts, [{ name: "data", mountPath: "/data" }]);
      assert.equal(r.spec.replicas, 1);
      assert.deepEqual(r.status, { observedGeneration: 1, replicas: 1 });
      assert.equal(r.metadata.resourceVersion, "120");
    },
  },
  {
    name: "apply deploy.yaml -> deploy2.yaml (element delete and reorder, §5.2)",
    root: DEPLOYMENT,
    live: deploy,
    patch: {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "nginx" }],
            containers: [
              {
                "$setElementOrder/env": [{ name: "C" }, { name: "A" }],
                "$setElementOrder/ports": [{ containerPort: 80 }, { containerPort: 443 }],
                env: [
                  { name: "C", value: "3" },
                  { $patch: "delete", name: "B" },
                ],
                image: "nginx:1.26",
                name: "nginx",
                ports: [{ containerPort: 443, name: "https" }],
              },
              { $patch: "delete", name: "sidecar" },
            ],
          },
        },
      },
    },
    check(r) {
      const containers = r.spec.template.spec.containers;
      assert.deepEqual(
        containers.map((c: any) => c.name),
        ["nginx"],
      );
      const [nginx] = containers;
      assert.equal(nginx.image, "nginx:1.26");
      assert.equal(nginx.imagePullPolicy, "IfNotPresent");
      assert.deepEqual(nginx.env, [
        { name: "C", value: "3" },
        { name: "A", value: "1" },
      ]);
      assert.deepEqual(nginx.ports, [
        { containerPort: 80, protocol: "TCP" },
        { containerPort: 443, protocol: "TCP", name: "https" },
      ]);
      assert.equal(r.spec.replicas, 2);
    },
  },
  {
    name: "rollout restart adds a template annotation (§11.3)",
    root: DEPLOYMENT,
    live: deploy,
    patch: {
      spec: {
        template: {
          metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2026-11-26T00:28:32Z" } },
        },
      },
    },
    check(r) {
      assert.deepEqual(r.spec.template.metadata, {
        labels: { app: "web" },
        annotations: { "kubectl.kubernetes.io/restartedAt": "2026-11-26T00:28:32Z" },
      });
      assert.equal(r.spec.template.spec.containers.length, 2);
    },
  },
  {
    name: "rollout pause sets spec.paused (§11.3)",
    root: DEPLOYMENT,
    live: deploy,
    patch: { spec: { paused: true } },
    check(r) {
      assert.equal(r.spec.paused, true);
      assert.equal(r.spec.replicas, 2);
    },
  },
  {
    name: "rollout resume removes spec.paused (§11.3)",
    root: DEPLOYMENT,
    live: { ...deploy, spec: { ...deploy.spec, paused: true } },
    patch: { spec: { paused: null } },
    check(r) {
      assert.equal("paused" in r.spec, false);
      assert.equal(r.spec.replicas, 2);
    },
  },
  {
    name: "cordon sets spec.unschedulable (§12)",
    root: NODE,
    live: node,
    patch: { spec: { unschedulable: true } },
    check(r) {
      assert.deepEqual(r.spec, { podCIDRs: ["10.244.1.0/24"], unschedulable: true });
    },
  },
  {
    name: "uncordon removes spec.unschedulable (§12)",
    root: NODE,
    live: { ...node, spec: { ...node.spec, unschedulable: true } },
    patch: { spec: { unschedulable: null } },
    check(r) {
      assert.deepEqual(r.spec, { podCIDRs: ["10.244.1.0/24"] });
      assert.deepEqual(r.metadata, node.metadata);
    },
  },
];

/** Every member key starting with "$" anywhere in `v`: patch syntax must never be stored. */
export function directiveKeys(v: unknown, path = ""): string[] {
  if (Array.isArray(v)) return v.flatMap((e, i) => directiveKeys(e, `${path}[${i}]`));
  if (typeof v !== "object" || v === null) return [];
  return Object.entries(v).flatMap(([k, e]) => [
    ...(k.startsWith("$") ? [`${path}.${k}`] : []),
    ...directiveKeys(e, `${path}.${k}`),
  ]);
}
