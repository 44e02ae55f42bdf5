import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { decodeProtobufBody, PROTOBUF_CONTENT_TYPE, ProtobufDecodeError } from "./index.js";
import { CAPTURES } from "./kubectl-capture.js";

// Golden bodies captured from the real kubectl 1.32 (testdata/regenerate.ts).
const TESTDATA = new URL("../../../apiserver/protobuf/testdata/", import.meta.url);
const golden = (name: string) => readFileSync(new URL(`${name}.pb`, TESTDATA));

// What each kubectl command must decode to: the JSON kubectl 1.31 sends for the same command,
// less the nulls and empty structs that JSON carries and protobuf does not.
const EXPECTED: Record<string, Record<string, unknown>> = {
  configmap: {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "cm1" },
    data: { a: "b", empty: "" },
  },
  secret: { apiVersion: "v1", kind: "Secret", metadata: { name: "s1" }, data: { k: "dg==" } },
  namespace: { apiVersion: "v1", kind: "Namespace", metadata: { name: "ns1" } },
  deployment: {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d1", labels: { app: "d1" } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "d1" } },
      template: {
        metadata: { labels: { app: "d1" } },
        spec: { containers: [{ name: "nginx", image: "nginx:1.25", ports: [{ containerPort: 80 }] }] },
      },
    },
  },
  job: {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "j1" },
    spec: {
      template: {
        spec: {
          containers: [{ name: "j1", image: "busybox", command: ["echo", "hi"] }],
          restartPolicy: "Never",
        },
      },
    },
  },
  service: {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "svc1", labels: { app: "svc1" } },
    spec: {
      ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }],
      selector: { app: "svc1" },
      type: "ClusterIP",
    },
  },
  serviceaccount: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa1" } },
  cronjob: {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "cj1" },
    spec: {
      schedule: "*/5 * * * *",
      jobTemplate: {
        metadata: { name: "cj1" },
        spec: {
          template: {
            spec: {
              containers: [{ name: "cj1", image: "busybox", command: ["date"] }],
              restartPolicy: "OnFailure",
            },
          },
        },
      },
    },
  },
  "pdb-min-available": {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "pdb1" },
    spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } },
  },
  "pdb-max-unavailable": {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "pdb2" },
    spec: { selector: { matchLabels: { app: "web" } }, maxUnavailable: "50%" },
  },
  quota: {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "q1" },
    spec: { hard: { cpu: "1", memory: "1Gi", pods: "2" } },
  },
  "auth-can-i": {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: { resourceAttributes: { namespace: "default", verb: "create", resource: "pods" } },
  },
  token: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 600 } },
  // --grace-period=0 is a set pointer: it must survive as 0, not vanish as an unset field would.
  "drain-delete-options": { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0 },
};

test("every captured kubectl command has an expected decoding", () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), Object.keys(CAPTURES).sort());
});

for (const [name, expected] of Object.entries(EXPECTED)) {
  test(`decodes the body of kubectl ${CAPTURES[name].join(" ")}`, () => {
    const decoded = decodeProtobufBody(golden(name));
    assert.deepEqual(decoded, { apiVersion: expected.apiVersion, kind: expected.kind, object: expected });
  });
}

test("the content type is the one kubectl sends", () => {
  assert.equal(PROTOBUF_CONTENT_TYPE, "application/vnd.kubernetes.protobuf");
});

// A protobuf writer independent of proto/: the field numbers below are typed in from upstream's
// generated.proto, so a wrong number in the .proto subset makes these tests fail.
function varint(n: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    out.push(Number(v & 0x7fn) | (v > 0x7fn ? 0x80 : 0));
    v >>= 7n;
  } while (v > 0n);
  return Buffer.from(out);
}
const int = (field: number, n: number | bigint) => Buffer.concat([varint(field << 3), varint(n)]);
const bytes = (field: number, b: Buffer | string) => {
  const data = Buffer.from(b);
  return Buffer.concat([varint((field << 3) | 2), varint(data.length), data]);
};
const msg = (field: number, ...parts: Buffer[]) => bytes(field, Buffer.concat(parts));
const entry = (field: number, key: string, ...value: Buffer[]) => msg(field, bytes(1, key), ...value);
const body = (apiVersion: string, kind: string, ...raw: Buffer[]) =>
  Buffer.concat([
    Buffer.from("k8s\0", "latin1"),
    msg(1, bytes(1, apiVersion), bytes(2, kind)),
    msg(2, ...raw),
    bytes(3, ""),
    bytes(4, ""),
  ]);

test("a Deployment's full pod template: volumes, env, resources, mounts, command and args", () => {
  const container = [
    bytes(1, "app"),
    bytes(2, "busybox"),
    bytes(3, "sh"),
    bytes(3, "-c"),
    bytes(4, "echo hi"),
    bytes(4, ""), // an empty argument is still an argument
    bytes(5, ""),
    msg(6, bytes(1, "http"), int(2, 0), int(3, 8080), bytes(4, "TCP"), bytes(5, "")),
    msg(7, bytes(1, "A"), bytes(2, "1")),
    msg(7, bytes(1, "EMPTY"), bytes(2, "")),
    msg(
      8,
      entry(1, "cpu", msg(2, bytes(1, "500m"))),
      entry(1, "memory", msg(2, bytes(1, "128Mi"))),
      entry(2, "cpu", msg(2, bytes(1, "250m"))),
    ),
    msg(9, bytes(1, "scratch"), int(2, 0), bytes(3, "/scratch"), bytes(4, "")),
    msg(9, bytes(1, "cfg"), int(2, 1), bytes(3, "/etc/cfg")),
    bytes(14, "IfNotPresent"),
    int(16, 0),
    int(18, 0),
  ];
  const volumes = [
    msg(1, bytes(1, "scratch"), msg(2, msg(2, bytes(1, "")))),
    msg(
      1,
      bytes(1, "cfg"),
      msg(2, msg(19, msg(1, bytes(1, "cm1")), msg(2, bytes(1, "a"), bytes(2, "a.txt")), int(3, 420))),
    ),
    msg(1, bytes(1, "sec"), msg(2, msg(6, bytes(1, "s1"), int(4, 0)))),
    msg(1, bytes(1, "host"), msg(2, msg(1, bytes(1, "/data"), bytes(2, "DirectoryOrCreate")))),
  ];
  const podSpec = [...volumes, msg(2, ...container), bytes(3, "Always"), int(4, 0), bytes(6, ""), int(11, 0)];
  const raw = [
    msg(1, bytes(1, "web"), msg(8), entry(11, "app", bytes(2, "web"))),
    msg(
      2,
      int(1, 0),
      msg(2, entry(1, "app", bytes(2, "web"))),
      msg(3, msg(1, entry(11, "app", bytes(2, "web"))), msg(2, ...podSpec)),
      msg(
        4,
        bytes(1, "RollingUpdate"),
        msg(2, msg(1, int(1, 1), bytes(3, "25%")), msg(2, int(1, 0), int(2, 1))),
      ),
      int(5, 0),
    ),
    bytes(3, ""),
    bytes(99, "a field from a newer Kubernetes"),
  ];
  const { object } = decodeProtobufBody(body("apps/v1", "Deployment", ...raw));
  assert.deepEqual(object, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { app: "web" } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          volumes: [
            { name: "scratch", emptyDir: {} },
            {
              name: "cfg",
              configMap: { name: "cm1", items: [{ key: "a", path: "a.txt" }], defaultMode: 420 },
            },
            { name: "sec", secret: { secretName: "s1", optional: false } },
            { name: "host", hostPath: { path: "/data", type: "DirectoryOrCreate" } },
          ],
          containers: [
            {
              name: "app",
              image: "busybox",
              command: ["sh", "-c"],
              args: ["echo hi", ""],
              ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
              env: [{ name: "A", value: "1" }, { name: "EMPTY" }],
              resources: { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "250m" } },
              volumeMounts: [
                { name: "scratch", mountPath: "/scratch" },
                { name: "cfg", readOnly: true, mountPath: "/etc/cfg" },
              ],
              imagePullPolicy: "IfNotPresent",
            },
          ],
          restartPolicy: "Always",
          terminationGracePeriodSeconds: 0,
        },
      },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: 1 } },
    },
  });
});

test("metav1.Time becomes RFC 3339 in UTC; the zero time is left out", () => {
  const created = msg(8, int(1, 1_700_000_000), int(2, 5));
  const deleted = msg(9, int(1, 1_700_000_060));
  const { object } = decodeProtobufBody(
    body("v1", "Pod", msg(1, bytes(1, "p"), created, deleted, int(10, 30))),
  );
  assert.deepEqual(object.metadata, {
    name: "p",
    creationTimestamp: "2023-11-14T22:13:20Z",
    deletionTimestamp: "2023-11-14T22:14:20Z",
    deletionGracePeriodSeconds: 30,
  });
  const zero = decodeProtobufBody(body("v1", "Pod", msg(1, bytes(1, "p"), msg(8))));
  assert.deepEqual(zero.object.metadata, { name: "p" });
});

test("Secret data and ConfigMap binaryData bytes become base64, as in JSON", () => {
  const secret = decodeProtobufBody(
    body("v1", "Secret", entry(2, "bin", bytes(2, Buffer.from([0, 255, 10]))), bytes(3, "Opaque")),
  );
  assert.deepEqual(secret.object, {
    apiVersion: "v1",
    kind: "Secret",
    data: { bin: "AP8K" },
    type: "Opaque",
  });
  const cm = decodeProtobufBody(body("v1", "ConfigMap", entry(3, "b", bytes(2, "hi")), int(4, 0)));
  assert.deepEqual(cm.object, {
    apiVersion: "v1",
    kind: "ConfigMap",
    binaryData: { b: "aGk=" },
    immutable: false,
  });
});

test("DeleteOptions under meta.k8s.io/v1 and an Eviction carrying them", () => {
  const opts = decodeProtobufBody(
    body(
      "meta.k8s.io/v1",
      "DeleteOptions",
      msg(2, bytes(1, "uid-1")),
      bytes(4, "Foreground"),
      bytes(5, "All"),
    ),
  );
  assert.deepEqual(opts.object, {
    apiVersion: "meta.k8s.io/v1",
    kind: "DeleteOptions",
    preconditions: { uid: "uid-1" },
    propagationPolicy: "Foreground",
    dryRun: ["All"],
  });
  const eviction = decodeProtobufBody(
    body("policy/v1", "Eviction", msg(1, bytes(1, "p1"), bytes(3, "default")), msg(2, int(1, 30))),
  );
  assert.deepEqual(eviction.object, {
    apiVersion: "policy/v1",
    kind: "Eviction",
    metadata: { name: "p1", namespace: "default" },
    deleteOptions: { gracePeriodSeconds: 30 },
  });
  // kubectl's JSON eviction sends "deleteOptions":{}: a present pointer stays, even when empty.
  const bare = decodeProtobufBody(body("policy/v1", "Eviction", msg(1, bytes(1, "p1")), msg(2)));
  assert.deepEqual(bare.object.deleteOptions, {});
});

test("an unknown kind is refused with a message that says to send JSON", () => {
  assert.throws(
    () => decodeProtobufBody(body("rbac.authorization.k8s.io/v1", "Role", msg(1, bytes(1, "r")))),
    (err: unknown) =>
      err instanceof ProtobufDecodeError &&
      err.message === "no protobuf decoder for rbac.authorization.k8s.io/v1, Kind=Role: send JSON instead",
  );
  // A message that exists in the schema but is not a top-level kind is no kind either.
  assert.throws(() => decodeProtobufBody(body("v1", "PodSpec")), ProtobufDecodeError);
});

test("malformed bodies are ProtobufDecodeErrors with a clear message", () => {
  const cases: [string, Buffer, RegExp][] = [
    ["JSON sent as protobuf", Buffer.from('{"kind":"ConfigMap"}'), /does not start with the "k8s\\0" magic/],
    ["an empty body", Buffer.alloc(0), /magic/],
    [
      "garbage after the magic",
      Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff, 0xff, 0xff]),
      /malformed protobuf body/,
    ],
    [
      "an envelope without a kind",
      Buffer.concat([Buffer.from("k8s\0"), msg(2)]),
      /does not name its apiVersion and kind/,
    ],
    ["a truncated Deployment", golden("deployment").subarray(0, 120), /malformed protobuf body/],
    [
      "an object with a broken length",
      body("apps/v1", "Deployment", Buffer.from([0x0a, 0x7f, 0x01])),
      /malformed protobuf body \(apps\/v1, Kind=Deployment\)/,
    ],
    [
      "gzip content encoding",
      Buffer.concat([Buffer.from("k8s\0"), msg(1, bytes(1, "v1"), bytes(2, "Pod")), bytes(3, "gzip")]),
      /contentEncoding "gzip"/,
    ],
  ];
  for (const [what, input, message] of cases)
    assert.throws(
      () => decodeProtobufBody(input),
      (err: unknown) => {
        assert.ok(err instanceof ProtobufDecodeError, `${what}: ${String(err)}`);
        assert.match(err.message, message, what);
        return true;
      },
    );
});

test("no truncation or corrupted byte of a real body crashes the decoder", () => {
  for (const name of Object.keys(CAPTURES)) {
    const good = golden(name);
    for (let i = 0; i < good.length; i++) {
      const corrupted = Buffer.from(good);
      corrupted[i] ^= 0xa5;
      for (const input of [good.subarray(0, i), corrupted]) {
        try {
          decodeProtobufBody(input);
        } catch (err) {
          assert.ok(err instanceof ProtobufDecodeError, `${name} at byte ${i}: ${String(err)}`);
        }
      }
    }
  }
});
