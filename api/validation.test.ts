import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import type { Deployment } from "./apps-v1.js";
import type { Pod } from "./core-v1.js";
import { applyDefaults } from "./defaults.js";
import type { KubeObject } from "./meta.js";
import {
  DEPLOYMENT_YAML,
  KUBECTL_CREATE_DEPLOYMENT,
  KUBECTL_RUN_POD,
  POD_YAML,
  RECORDED_EVENT,
} from "./testdata/manifests.js";
import { type FieldError, validateCreate, validateStatusUpdate, validateUpdate } from "./validation.js";

const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** A manifest as the server sees it: namespace filled in, defaults applied. */
function stored<T extends KubeObject>(kind: string, yamlOrObj: string | T): T {
  const obj = (typeof yamlOrObj === "string" ? parse(yamlOrObj) : structuredClone(yamlOrObj)) as T;
  if (!["Node", "Namespace"].includes(kind)) obj.metadata.namespace ??= "default";
  applyDefaults(kind, obj);
  return obj;
}

const brief = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.message}`);

const basePod = (): Pod =>
  stored<Pod>("Pod", {
    metadata: { name: "p" },
    spec: { containers: [{ name: "c", image: "nginx:1.25" }] },
  });

test("the example Deployment and Pod validate cleanly", () => {
  assert.deepEqual(brief(validateCreate("Deployment", stored("Deployment", DEPLOYMENT_YAML))), []);
  assert.deepEqual(brief(validateCreate("Pod", stored("Pod", POD_YAML))), []);
});

test("objects kubectl generates itself validate cleanly after defaulting", () => {
  const cases: [string, KubeObject][] = [
    ["Deployment", KUBECTL_CREATE_DEPLOYMENT as unknown as KubeObject],
    ["Pod", KUBECTL_RUN_POD as unknown as KubeObject],
    ["Event", RECORDED_EVENT as unknown as KubeObject],
  ];
  for (const [kind, obj] of cases) assert.deepEqual(brief(validateCreate(kind, stored(kind, obj))), [], kind);
});

test("ephemeral containers and scheduling gates", () => {
  const pod = basePod();
  pod.spec!.ephemeralContainers = [{ name: "debug", image: "busybox" }];
  pod.spec!.schedulingGates = [{ name: "example.com/wait" }, { name: "example.com/wait" }];
  assert.deepEqual(brief(validateCreate("Pod", pod)), [
    'spec.schedulingGates[1].name: Duplicate value: "example.com/wait"',
    "spec.ephemeralContainers: Forbidden: cannot be set on create",
  ]);
});

test("pod create rules give Kubernetes' paths, types and messages", () => {
  const cases: [what: string, mutate: (p: Pod) => void, want: [string, FieldError["type"], string][]][] = [
    [
      "invalid name",
      (p) => {
        p.metadata.name = "Foo_bar";
      },
      [["metadata.name", "FieldValueInvalid", `Invalid value: "Foo_bar": ${SUBDOMAIN_RULE}`]],
    ],
    [
      "no name",
      (p) => {
        delete p.metadata.name;
      },
      [["metadata.name", "FieldValueRequired", "Required value: name or generateName is required"]],
    ],
    [
      "generateName may end in a dash",
      (p) => {
        delete p.metadata.name;
        p.metadata.generateName = "web-";
      },
      [],
    ],
    [
      "no containers",
      (p) => {
        p.spec!.containers = [];
      },
      [["spec.containers", "FieldValueRequired", "Required value"]],
    ],
    [
      "no image",
      (p) => {
        delete p.spec!.containers[0]!.image;
      },
      [["spec.containers[0].image", "FieldValueRequired", "Required value"]],
    ],
    [
      "duplicate container names across init and regular",
      (p) => {
        p.spec!.initContainers = [structuredClone(p.spec!.containers[0]!)];
      },
      [["spec.containers[0].name", "FieldValueDuplicate", 'Duplicate value: "c"']],
    ],
    [
      "container name is a DNS label",
      (p) => {
        p.spec!.containers[0]!.name = "a.b";
      },
      [["spec.containers[0].name", "FieldValueInvalid", `Invalid value: "a.b": ${LABEL_RULE}`]],
    ],
    [
      "restart policy",
      (p) => {
        p.spec!.restartPolicy = "Sometimes" as "Always";
      },
      [
        [
          "spec.restartPolicy",
          "FieldValueNotSupported",
          'Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
        ],
      ],
    ],
    [
      "ports",
      (p) => {
        p.spec!.containers[0]!.ports = [
          { containerPort: 70000, protocol: "TCP" },
          { containerPort: 80, protocol: "HTTP" as "TCP", name: "http" },
          { containerPort: 81, protocol: "TCP", name: "http" },
        ];
      },
      [
        [
          "spec.containers[0].ports[0].containerPort",
          "FieldValueInvalid",
          "Invalid value: 70000: must be between 1 and 65535, inclusive",
        ],
        [
          "spec.containers[0].ports[1].protocol",
          "FieldValueNotSupported",
          'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        ],
        ["spec.containers[0].ports[2].name", "FieldValueDuplicate", 'Duplicate value: "http"'],
      ],
    ],
    [
      "requests above limits",
      (p) => {
        p.spec!.containers[0]!.resources = { limits: { cpu: "500m" }, requests: { cpu: "1" } };
      },
      [
        [
          "spec.containers[0].resources.requests",
          "FieldValueInvalid",
          'Invalid value: "1": must be less than or equal to cpu limit of 500m',
        ],
      ],
    ],
    [
      "negative and unknown resources",
      (p) => {
        p.spec!.containers[0]!.resources = { limits: { memory: "-1Mi", gpus: "1" } };
      },
      [
        [
          "spec.containers[0].resources.limits[memory]",
          "FieldValueInvalid",
          'Invalid value: "-1Mi": must be greater than or equal to 0',
        ],
        [
          "spec.containers[0].resources.limits[gpus]",
          "FieldValueInvalid",
          'Invalid value: "gpus": must be a standard resource for containers',
        ],
      ],
    ],
    [
      "volumes: duplicate name, no source, two sources, dangling mount",
      (p) => {
        p.spec!.volumes = [
          { name: "a", emptyDir: {} },
          { name: "a", emptyDir: {}, hostPath: { path: "/x" } },
        ];
        p.spec!.containers[0]!.volumeMounts = [{ name: "b", mountPath: "/b" }];
        (p.spec!.volumes as unknown[]).push({ name: "c" });
      },
      [
        ["spec.volumes[1].name", "FieldValueDuplicate", 'Duplicate value: "a"'],
        [
          "spec.volumes[1].hostPath",
          "FieldValueForbidden",
          "Forbidden: may not specify more than 1 volume type",
        ],
        ["spec.volumes[2]", "FieldValueRequired", "Required value: must specify a volume type"],
        ["spec.containers[0].volumeMounts[0].name", "FieldValueNotFound", 'Not found: "b"'],
      ],
    ],
    [
      "probes need exactly one handler",
      (p) => {
        p.spec!.containers[0]!.livenessProbe = { periodSeconds: 10 };
        p.spec!.containers[0]!.readinessProbe = { exec: { command: ["true"] }, tcpSocket: { port: 80 } };
      },
      [
        [
          "spec.containers[0].livenessProbe",
          "FieldValueRequired",
          "Required value: must specify a handler type",
        ],
        [
          "spec.containers[0].readinessProbe.tcpSocket",
          "FieldValueForbidden",
          "Forbidden: may not specify more than 1 handler type",
        ],
      ],
    ],
    [
      "env names and sources",
      (p) => {
        p.spec!.containers[0]!.env = [
          { name: "1BAD", value: "x" },
          { name: "OK", value: "v", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        ];
      },
      [
        [
          "spec.containers[0].env[0].name",
          "FieldValueInvalid",
          `Invalid value: "1BAD": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
        ],
        [
          "spec.containers[0].env[1].valueFrom",
          "FieldValueInvalid",
          'Invalid value: "": may not be specified when `value` is not empty',
        ],
      ],
    ],
    [
      "labels and node selector",
      (p) => {
        p.metadata.labels = { "bad key!": "v", ok: "-bad" };
        p.spec!.nodeSelector = { "a/b/c": "x" };
      },
      [
        [
          "metadata.labels",
          "FieldValueInvalid",
          `Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        ],
        [
          "metadata.labels",
          "FieldValueInvalid",
          `Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        ],
        [
          "spec.nodeSelector",
          "FieldValueInvalid",
          `Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
        ],
      ],
    ],
    [
      "tolerations",
      (p) => {
        p.spec!.tolerations = [
          { key: "k", operator: "Exists", value: "v" },
          { operator: "Equal", value: "v" },
          { key: "k", operator: "Equal", effect: "Sometimes" as "NoSchedule" },
        ];
      },
      [
        [
          "spec.tolerations[0].operator",
          "FieldValueInvalid",
          "Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
        ],
        [
          "spec.tolerations[1].operator",
          "FieldValueInvalid",
          'Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ],
        [
          "spec.tolerations[2].effect",
          "FieldValueNotSupported",
          'Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
        ],
      ],
    ],
    [
      "annotations over 256 KiB",
      (p) => {
        p.metadata.annotations = { big: "x".repeat(256 * 1024) };
      },
      [["metadata.annotations", "FieldValueTooLong", "Too long: may not be more than 262144 bytes"]],
    ],
    [
      "owner references need their identifying fields",
      (p) => {
        p.metadata.ownerReferences = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "", uid: "u" }];
      },
      [["metadata.ownerReferences.name", "FieldValueInvalid", 'Invalid value: "": name must not be empty']],
    ],
  ];
  for (const [what, mutate, want] of cases) {
    const pod = basePod();
    mutate(pod);
    assert.deepEqual(
      validateCreate("Pod", pod).map((e) => [e.field, e.type, e.message]),
      want,
      what,
    );
  }
});

const baseDeployment = (): Deployment => stored<Deployment>("Deployment", DEPLOYMENT_YAML);

test("deployment rules: selector, template labels, strategy, template restart policy", () => {
  const cases: [what: string, mutate: (d: Deployment) => void, want: string[]][] = [
    [
      "selector does not match the template",
      (d) => {
        d.spec!.template.metadata!.labels = { app: "other", tier: "front" };
      },
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other", "tier":"front"}: `selector` does not match template `labels`',
      ],
    ],
    [
      "empty selector",
      (d) => {
        d.spec!.selector = {};
      },
      [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
      ],
    ],
    [
      "negative replicas",
      (d) => {
        d.spec!.replicas = -1;
      },
      ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
    ],
    [
      "a rolling update that cannot progress",
      (d) => {
        d.spec!.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } };
      },
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
    ],
    [
      "Recreate with rollingUpdate",
      (d) => {
        d.spec!.strategy = { type: "Recreate", rollingUpdate: { maxSurge: 1 } };
      },
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
    [
      "template restart policy must be Always",
      (d) => {
        d.spec!.template.spec!.restartPolicy = "Never";
      },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      "template containers are validated with their full path",
      (d) => {
        delete d.spec!.template.spec!.containers[0]!.image;
      },
      ["spec.template.spec.containers[0].image: Required value"],
    ],
    [
      "bad match expression",
      (d) => {
        d.spec!.selector.matchExpressions = [{ key: "tier", operator: "In" }];
      },
      [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    ],
  ];
  for (const [what, mutate, want] of cases) {
    const d = baseDeployment();
    mutate(d);
    assert.deepEqual(brief(validateCreate("Deployment", d)), want, what);
  }
});

test("updates: pod spec immutability, selector immutability, immutable config", () => {
  const old = basePod();
  const newImage = structuredClone(old);
  newImage.spec!.containers[0]!.image = "nginx:1.26";
  newImage.spec!.activeDeadlineSeconds = 100;
  newImage.spec!.tolerations = [{ key: "k", operator: "Exists" }];
  newImage.metadata.labels = { changed: "yes" };
  assert.deepEqual(brief(validateUpdate("Pod", newImage, old)), []);

  const newPort = structuredClone(old);
  newPort.spec!.containers[0]!.ports = [{ containerPort: 80, protocol: "TCP" }];
  const errs = validateUpdate("Pod", newPort, old);
  assert.equal(errs.length, 1);
  assert.equal(errs[0]?.field, "spec");
  assert.equal(errs[0]?.type, "FieldValueForbidden");
  assert.match(
    errs[0]!.message,
    /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/,
  );
  assert.match(errs[0]!.message, /spec\.containers\[0\]\.ports/);

  const withTol = structuredClone(newImage);
  const dropTol = structuredClone(withTol);
  dropTol.spec!.tolerations = [];
  assert.deepEqual(brief(validateUpdate("Pod", dropTol, withTol)), [
    "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds",
  ]);

  const d = baseDeployment();
  const moved = structuredClone(d);
  moved.spec!.selector = { matchLabels: { app: "web", tier: "front" } };
  assert.deepEqual(brief(validateUpdate("Deployment", moved, d)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  const scaled = structuredClone(d);
  scaled.spec!.replicas = 7;
  assert.deepEqual(brief(validateUpdate("Deployment", scaled, d)), []);

  const cm = stored("ConfigMap", { metadata: { name: "c" }, immutable: true, data: { a: "1" } });
  const cm2 = structuredClone(cm);
  cm2.data = { a: "2" };
  assert.deepEqual(brief(validateUpdate("ConfigMap", cm2, cm)), [
    "data: Forbidden: field is immutable when `immutable` is set",
  ]);
});

test("other kinds: namespace names, configmap keys, node taints, lease duration, events, bindings", () => {
  const cases: [kind: string, obj: KubeObject, want: string[]][] = [
    ["Namespace", { metadata: { name: "team-a" } }, []],
    [
      "Namespace",
      { metadata: { name: "team.a" } },
      [`metadata.name: Invalid value: "team.a": ${LABEL_RULE}`],
    ],
    [
      "Namespace",
      { metadata: { name: "x", namespace: "default" } },
      ["metadata.namespace: Forbidden: not allowed on this type"],
    ],
    [
      "ConfigMap",
      { metadata: { name: "c" }, data: { "a b": "x", "ok.key": "y" } },
      [
        `data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      ],
    ],
    [
      "Secret",
      { metadata: { name: "s" }, type: "kubernetes.io/tls", data: { "tls.crt": "eA==" } },
      ["data[tls.key]: Required value"],
    ],
    [
      "Node",
      {
        metadata: { name: "n1" },
        spec: {
          taints: [
            { key: "k", effect: "Sometimes" },
            { key: "k", effect: "NoSchedule" },
            { key: "k", effect: "NoSchedule" },
          ],
        },
      },
      [
        'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
        'spec.taints[2]: Duplicate value: "k:NoSchedule"',
      ],
    ],
    [
      "Lease",
      { metadata: { name: "l" }, spec: { leaseDurationSeconds: 0 } },
      ["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"],
    ],
    ["Lease", { metadata: { name: "l" }, spec: { holderIdentity: "a", leaseDurationSeconds: 40 } }, []],
    [
      "Event",
      { metadata: { name: "e.1" }, involvedObject: { kind: "Pod", name: "p", namespace: "other" } },
      ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'],
    ],
    ["Binding", { metadata: { name: "p" }, target: { kind: "Node" } }, ["target.name: Required value"]],
  ];
  for (const [kind, obj, want] of cases) {
    assert.deepEqual(
      brief(validateCreate(kind, stored(kind, obj))),
      want,
      `${kind} ${JSON.stringify(obj).slice(0, 80)}`,
    );
  }
});

test("status updates check the status counts", () => {
  const d = baseDeployment();
  const s = structuredClone(d);
  s.status = { replicas: 2, readyReplicas: 3, availableReplicas: 1 };
  assert.deepEqual(brief(validateStatusUpdate("Deployment", s, d)), [
    "status.readyReplicas: Invalid value: 3: cannot be greater than status.replicas",
  ]);
  const pod = basePod();
  const running = structuredClone(pod);
  running.status = { phase: "Running", containerStatuses: [] };
  assert.deepEqual(brief(validateStatusUpdate("Pod", running, pod)), []);
  running.status.phase = "Sleeping" as "Running";
  assert.deepEqual(brief(validateStatusUpdate("Pod", running, pod)), [
    'status.phase: Unsupported value: "Sleeping": supported values: "Failed", "Pending", "Running", "Succeeded", "Unknown"',
  ]);
});
