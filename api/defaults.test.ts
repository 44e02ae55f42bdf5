import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import type { Deployment } from "./apps-v1.js";
import type { Pod } from "./core-v1.js";
import { applyDefaults, imageTag } from "./defaults.js";
import type { KubeObject } from "./meta.js";
import { DEPLOYMENT_YAML } from "./testdata/manifests.js";

const defaulted = <T extends KubeObject = KubeObject>(kind: string, obj: T): T => {
  applyDefaults(kind, obj);
  return obj;
};

test("a minimal pod gets the defaults a real API server fills in", () => {
  const pod = defaulted<Pod>("Pod", {
    metadata: { name: "p" },
    spec: { containers: [{ name: "c", image: "nginx" }] },
  });
  assert.deepEqual(pod.spec, {
    containers: [
      {
        name: "c",
        image: "nginx",
        imagePullPolicy: "Always",
        terminationMessagePath: "/dev/termination-log",
        terminationMessagePolicy: "File",
        resources: {},
      },
    ],
    restartPolicy: "Always",
    dnsPolicy: "ClusterFirst",
    terminationGracePeriodSeconds: 30,
    securityContext: {},
    schedulerName: "default-scheduler",
    enableServiceLinks: true,
    priority: 0,
    preemptionPolicy: "PreemptLowerPriority",
  });
});

test("explicit values are kept", () => {
  const pod = defaulted<Pod>("Pod", {
    metadata: { name: "p" },
    spec: {
      restartPolicy: "Never",
      terminationGracePeriodSeconds: 0,
      enableServiceLinks: false,
      containers: [{ name: "c", image: "nginx", imagePullPolicy: "Never" }],
    },
  });
  assert.equal(pod.spec?.restartPolicy, "Never");
  assert.equal(pod.spec?.terminationGracePeriodSeconds, 0);
  assert.equal(pod.spec?.enableServiceLinks, false);
  assert.equal(pod.spec?.containers[0]?.imagePullPolicy, "Never");
});

test("imagePullPolicy follows the image tag", () => {
  const cases: [string, string][] = [
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    ["nginx:1.25", "IfNotPresent"],
    ["registry:5000/nginx", "Always"],
    ["registry:5000/nginx:1.25", "IfNotPresent"],
    ["nginx@sha256:abc", "IfNotPresent"],
    ["nginx:latest@sha256:abc", "Always"],
  ];
  for (const [image, policy] of cases) {
    const pod = defaulted<Pod>("Pod", { metadata: {}, spec: { containers: [{ name: "c", image }] } });
    assert.equal(pod.spec?.containers[0]?.imagePullPolicy, policy, image);
  }
  assert.equal(imageTag("a/b/c:v1"), "v1");
});

test("container details: ports, probes, requests from limits, canonical quantities", () => {
  const pod = defaulted<Pod>("Pod", {
    metadata: {},
    spec: {
      hostNetwork: true,
      containers: [
        {
          name: "c",
          image: "i:1",
          ports: [{ containerPort: 8080 }, { containerPort: 53, protocol: "UDP", hostPort: 5353 }],
          resources: { limits: { cpu: "1000m", memory: "1024Mi" }, requests: { cpu: 0.5 } },
          readinessProbe: { httpGet: { port: 8080 } },
          livenessProbe: { exec: { command: ["true"] }, periodSeconds: 3 },
        },
      ],
    },
  });
  const c = pod.spec!.containers[0]!;
  assert.deepEqual(c.ports, [
    { containerPort: 8080, protocol: "TCP", hostPort: 8080 },
    { containerPort: 53, protocol: "UDP", hostPort: 5353 },
  ]);
  assert.deepEqual(c.resources, {
    limits: { cpu: "1", memory: "1Gi" },
    requests: { cpu: "500m", memory: "1Gi" },
  });
  assert.deepEqual(c.readinessProbe, {
    httpGet: { port: 8080, path: "/", scheme: "HTTP" },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal(c.livenessProbe?.periodSeconds, 3);
});

test("volumes: a volume without a source is an emptyDir; projected modes default to 0644", () => {
  const pod = defaulted<Pod>("Pod", {
    metadata: {},
    spec: {
      containers: [{ name: "c", image: "i:1" }],
      volumes: [
        { name: "a" },
        { name: "b", configMap: { name: "cm" } },
        { name: "s", secret: { secretName: "x" } },
      ],
    },
  });
  assert.deepEqual(pod.spec?.volumes, [
    { name: "a", emptyDir: {} },
    { name: "b", configMap: { name: "cm", defaultMode: 420 } },
    { name: "s", secret: { secretName: "x", defaultMode: 420 } },
  ]);
});

test("a deployment gets replicas, a 25%/25% rolling update, history and deadline defaults, and template defaults", () => {
  const d = defaulted<Deployment>("Deployment", {
    metadata: { name: "d" },
    spec: {
      selector: { matchLabels: { app: "d" } },
      template: { metadata: { labels: { app: "d" } }, spec: { containers: [{ name: "c", image: "i:1" }] } },
    },
  });
  assert.equal(d.spec?.replicas, 1);
  assert.deepEqual(d.spec?.strategy, {
    type: "RollingUpdate",
    rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" },
  });
  assert.equal(d.spec?.revisionHistoryLimit, 10);
  assert.equal(d.spec?.progressDeadlineSeconds, 600);
  assert.equal(d.spec?.template.spec?.restartPolicy, "Always");
  assert.equal(d.spec?.template.spec?.containers[0]?.imagePullPolicy, "IfNotPresent");
  // Pod-only defaults (SetDefaults_Pod, priority admission) stay off templates.
  const tpl = d.spec?.template.spec;
  assert.deepEqual(
    [tpl?.enableServiceLinks, tpl?.priority, tpl?.preemptionPolicy],
    [undefined, undefined, undefined],
  );

  const recreate = defaulted<Deployment>("Deployment", {
    metadata: {},
    spec: { selector: {}, template: {}, strategy: { type: "Recreate" } },
  });
  assert.deepEqual(recreate.spec?.strategy, { type: "Recreate" });

  const fromYaml = defaulted<Deployment>("Deployment", parse(DEPLOYMENT_YAML));
  assert.deepEqual(fromYaml.spec?.strategy?.rollingUpdate, { maxSurge: 1, maxUnavailable: "25%" });
  assert.equal(fromYaml.spec?.replicas, 3);
});

test("other kinds: ReplicaSet replicas, Secret type, Namespace phase and finalizer, Node allocatable", () => {
  const rs = defaulted<KubeObject>("ReplicaSet", { metadata: {}, spec: { selector: {} } });
  assert.equal((rs.spec as { replicas: number }).replicas, 1);
  assert.equal(defaulted<KubeObject>("Secret", { metadata: {} }).type, "Opaque");
  assert.equal(
    defaulted<KubeObject>("Secret", { metadata: {}, type: "kubernetes.io/tls" }).type,
    "kubernetes.io/tls",
  );
  const ns = defaulted<KubeObject>("Namespace", { metadata: { name: "x" } });
  assert.deepEqual([ns.spec, ns.status], [{ finalizers: ["kubernetes"] }, { phase: "Active" }]);
  const node = defaulted<KubeObject>("Node", {
    metadata: {},
    status: { capacity: { cpu: 4, memory: "8Gi" } },
  });
  assert.deepEqual(node.status, {
    capacity: { cpu: "4", memory: "8Gi" },
    allocatable: { cpu: "4", memory: "8Gi" },
  });
  const lease = { metadata: { name: "l" }, spec: { holderIdentity: "a" } };
  assert.deepEqual(defaulted("Lease", structuredClone(lease)), lease);
});
