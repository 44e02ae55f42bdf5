// Test support (not exported from index.ts): runs the real kubectl against a tiny HTTP server on
// 127.0.0.1 that serves just enough aggregated discovery for the `kubectl create` generators and
// records every write. Used by the tests and by testdata/regenerate.ts to capture the golden bodies.
import { execFile } from "node:child_process";
import { accessSync, constants, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { type DecodedBody, decodeProtobufBody, PROTOBUF_CONTENT_TYPE } from "./index.js";

/** The kubectl invocations whose request bodies are kept in testdata/<name>.pb. */
export const CAPTURES: Record<string, string[]> = {
  configmap: ["create", "configmap", "cm1", "--from-literal=a=b", "--from-literal=empty="],
  secret: ["create", "secret", "generic", "s1", "--from-literal=k=v"],
  namespace: ["create", "namespace", "ns1"],
  deployment: ["create", "deployment", "d1", "--image=nginx:1.25", "--replicas=2", "--port=80"],
  job: ["create", "job", "j1", "--image=busybox", "--", "echo", "hi"],
  service: ["create", "service", "clusterip", "svc1", "--tcp=80:8080"],
  serviceaccount: ["create", "serviceaccount", "sa1"],
  cronjob: ["create", "cronjob", "cj1", "--image=busybox", "--schedule=*/5 * * * *", "--", "date"],
  "pdb-min-available": ["create", "pdb", "pdb1", "--selector=app=web", "--min-available=1"],
  "pdb-max-unavailable": ["create", "pdb", "pdb2", "--selector=app=web", "--max-unavailable=50%"],
  quota: ["create", "quota", "q1", "--hard=cpu=1,memory=1Gi,pods=2"],
  "auth-can-i": ["auth", "can-i", "create", "pods"],
  token: ["create", "token", "sa1", "--duration=10m"],
  // Drain deletes pod p1 on node-1 (see the fixture below) with a DeleteOptions body; 0 is a set pointer.
  "drain-delete-options": [
    "drain",
    "node-1",
    "--force",
    "--disable-eviction",
    "--grace-period=0",
    "--timeout=20s",
  ],
};

export interface CapturedRequest {
  method: string;
  url: string;
  contentType: string;
  body: Buffer;
  /** What the server decoded from a protobuf body, or why it could not. */
  decoded?: DecodedBody;
  decodeError?: string;
}

export interface CaptureServer {
  url: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

const DISCOVERY_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function resource(group: string, version: string, kind: string, plural: string, scope = "Namespaced") {
  return {
    resource: plural,
    responseKind: { group, version, kind },
    scope,
    singularResource: kind.toLowerCase(),
    verbs: VERBS,
  };
}

function groupDiscovery(group: string, version: string, kinds: [string, string, string?][]) {
  return {
    metadata: { name: group },
    versions: [
      {
        version,
        freshness: "Current",
        resources: kinds.map(([k, p, s]) => resource(group, version, k, p, s)),
      },
    ],
  };
}

const API = [
  groupDiscovery("", "v1", [
    ["ConfigMap", "configmaps"],
    ["Secret", "secrets"],
    ["Namespace", "namespaces", "Cluster"],
    ["Service", "services"],
    ["ServiceAccount", "serviceaccounts"],
    ["Pod", "pods"],
    ["Node", "nodes", "Cluster"],
  ]),
];
const APIS = [
  groupDiscovery("apps", "v1", [["Deployment", "deployments"]]),
  groupDiscovery("batch", "v1", [
    ["Job", "jobs"],
    ["CronJob", "cronjobs"],
  ]),
  groupDiscovery("policy", "v1", [["PodDisruptionBudget", "poddisruptionbudgets"]]),
];

function discoveryList(items: unknown[]) {
  return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items };
}

function send(res: ServerResponse, code: number, body: unknown, contentType = "application/json") {
  res.writeHead(code, { "Content-Type": contentType });
  res.end(JSON.stringify(body));
}

function status(code: number, reason: string, message: string) {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason, message, code };
}

// The one node and pod `kubectl drain node-1` finds. The node is already cordoned, so drain sends no
// PATCH; p1 is gone once deleted, which ends drain's wait.
const NODE = { kind: "Node", apiVersion: "v1", metadata: { name: "node-1" }, spec: { unschedulable: true } };
const POD = {
  kind: "Pod",
  apiVersion: "v1",
  metadata: { name: "p1", namespace: "default", uid: "6f1d2c1e-0000-4000-8000-000000000001" },
  spec: { nodeName: "node-1", containers: [{ name: "c", image: "busybox" }] },
};

/** What the server answers to a write: the decoded object, plus the status a review or token needs. */
function answer(object: Record<string, unknown>): Record<string, unknown> {
  if (object.kind === "SelfSubjectAccessReview") return { ...object, status: { allowed: true } };
  if (object.kind === "TokenRequest")
    return { ...object, status: { token: "captured-token", expirationTimestamp: "2030-01-01T00:00:00Z" } };
  if (object.kind === "DeleteOptions") return POD;
  return object;
}

/** Starts the capture server on a free port of 127.0.0.1. */
export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  let podDeleted = false;
  const route = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET") {
      if (path === "/api") return send(res, 200, discoveryList(API), DISCOVERY_TYPE);
      if (path === "/apis") return send(res, 200, discoveryList(APIS), DISCOVERY_TYPE);
      if (path === "/api/v1/nodes/node-1") return send(res, 200, NODE);
      if (path === "/api/v1/pods")
        return send(res, 200, {
          kind: "PodList",
          apiVersion: "v1",
          metadata: {},
          items: podDeleted ? [] : [POD],
        });
      if (path === "/api/v1/namespaces/default/pods/p1" && !podDeleted) return send(res, 200, POD);
      return send(res, 404, status(404, "NotFound", `${path} not found`));
    }
    if (req.method !== "POST" && req.method !== "DELETE")
      return send(res, 405, status(405, "MethodNotAllowed", `${req.method} is not served here`));
    const captured: CapturedRequest = {
      method: req.method,
      url: req.url ?? "/",
      contentType: req.headers["content-type"] ?? "",
      body,
    };
    requests.push(captured);
    if (req.method === "DELETE") podDeleted = true;
    // kubectl ≤ 1.31 sends JSON: echo it, so tests can compare it with what 1.32 sends as protobuf.
    if (captured.contentType.startsWith("application/json"))
      return send(res, 201, answer(JSON.parse(body.toString("utf8"))));
    if (!captured.contentType.startsWith(PROTOBUF_CONTENT_TYPE))
      return send(res, 415, status(415, "UnsupportedMediaType", `unexpected ${captured.contentType}`));
    try {
      captured.decoded = decodeProtobufBody(body);
    } catch (err) {
      captured.decodeError = (err as Error).message;
      return send(res, 400, status(400, "BadRequest", captured.decodeError));
    }
    send(res, req.method === "POST" ? 201 : 200, answer(captured.decoded.object));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => route(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The kubectl binary of a minor version: 1.32 is `kubectl` on the PATH, others sit beside it. */
export function kubectlBinary(version: "1.31" | "1.32" | "1.33"): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "kubectl");
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    return version === "1.32" ? candidate : join(dirname(realpathSync(candidate)), `kubectl.${version}`);
  }
  throw new Error("kubectl is not on the PATH");
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs kubectl against `serverUrl` with a throwaway kubeconfig, HOME and discovery cache, so
 * nothing is read from or left in the user's ~/.kube.
 */
export async function runKubectl(binary: string, serverUrl: string, args: string[]): Promise<KubectlResult> {
  const home = mkdtempSync(join(tmpdir(), "k8ts-kubectl-"));
  try {
    const kubeconfig = join(home, "kubeconfig");
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "capture", cluster: { server: serverUrl } }],
        users: [{ name: "capture", user: {} }],
        contexts: [
          { name: "capture", context: { cluster: "capture", user: "capture", namespace: "default" } },
        ],
        "current-context": "capture",
      }),
    );
    const env = { PATH: process.env.PATH ?? "", HOME: home, KUBECONFIG: kubeconfig };
    return await new Promise<KubectlResult>((resolve) => {
      execFile(
        binary,
        ["--cache-dir", join(home, "cache"), ...args],
        { env, timeout: 60_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Runs one capture: the kubectl command against a fresh capture server; returns its requests. */
export async function captureKubectl(binary: string, args: string[]) {
  const server = await startCaptureServer();
  try {
    const result = await runKubectl(binary, server.url, args);
    return { result, requests: server.requests };
  } finally {
    await server.close();
  }
}
