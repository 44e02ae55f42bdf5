import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { type KubeObject, RESOURCES } from "../api/index.js";
import { freePort, waitFor } from "../testing/index.js";
// Through the public surface, as components use it.
import * as client from "./index.js";

const { ApiError, RestClient, resourcePath } = client;
const { isAlreadyExists, isConflict, isGone, isInvalid, isNetworkError, isNotFound } = client;

const res = (plural: string) => RESOURCES.find((r) => r.plural === plural)!;
const PODS = res("pods");
const NODES = res("nodes");
const DEPLOYMENTS = res("deployments");

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

let seen: Seen[] = [];
let answer: (req: Seen, res: ServerResponse) => void = (_req, res) => json(res, 200, {});
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    const url = new URL(req.url!, "http://x");
    const s = {
      method: req.method!,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    seen.push(s);
    answer(s, res);
  });
});
let api: client.RestClient;

before(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  api = new RestClient({
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    token: "t0k",
  });
});
after(() => {
  server.closeAllConnections();
  server.close();
});

function json(res: ServerResponse, code: number, body: unknown) {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const status = (code: number, reason: string, message: string) => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  code,
  reason,
  message,
});

const pod: KubeObject = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { namespace: "ns1", name: "p1", resourceVersion: "7" },
};

test("paths follow the registry: core vs groups, namespaced vs cluster-scoped, all namespaces, subresources", () => {
  assert.equal(
    resourcePath(PODS, { namespace: "default", name: "p1" }),
    "/api/v1/namespaces/default/pods/p1",
  );
  assert.equal(resourcePath(PODS), "/api/v1/pods");
  assert.equal(resourcePath(NODES, { name: "n1", subresource: "status" }), "/api/v1/nodes/n1/status");
  assert.equal(resourcePath(NODES, { namespace: "ignored", name: "n1" }), "/api/v1/nodes/n1");
  assert.equal(resourcePath(DEPLOYMENTS, { namespace: "a" }), "/apis/apps/v1/namespaces/a/deployments");
  assert.equal(
    resourcePath(res("leases"), { namespace: "kube-system", name: "x y" }),
    "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/x%20y",
  );
});

test("each verb sends its method, path, query, content type, body and bearer token", async () => {
  seen = [];
  answer = (_req, res) => json(res, 200, pod);
  await api.get(PODS, "p1", { namespace: "ns1" });
  await api.create(PODS, pod, { dryRun: true, fieldManager: "me" });
  await api.create(PODS, { metadata: { name: "b" }, target: { kind: "Node", name: "n1" } } as KubeObject, {
    namespace: "ns1",
    name: "p1",
    subresource: "binding",
  });
  await api.update(PODS, pod);
  await api.updateStatus(PODS, pod);
  await api.patch(PODS, "p1", "merge", { metadata: { labels: { a: "b" } } }, { namespace: "ns1" });
  await api.patch(PODS, "p1", "strategic", {}, { namespace: "ns1" });
  await api.patch(PODS, "p1", "json", [{ op: "remove", path: "/x" }], { namespace: "ns1" });
  await api.patch(PODS, "p1", "apply", pod, { namespace: "ns1", fieldManager: "k8ts", force: true });
  await api.delete(PODS, "p1", { namespace: "ns1", options: { propagationPolicy: "Foreground" } });
  const rows = seen.map((s) => [s.method, s.path, s.query.toString(), s.headers["content-type"] ?? ""]);
  assert.deepEqual(rows, [
    ["GET", "/api/v1/namespaces/ns1/pods/p1", "", ""],
    ["POST", "/api/v1/namespaces/ns1/pods", "dryRun=All&fieldManager=me", "application/json"],
    ["POST", "/api/v1/namespaces/ns1/pods/p1/binding", "", "application/json"],
    ["PUT", "/api/v1/namespaces/ns1/pods/p1", "", "application/json"],
    ["PUT", "/api/v1/namespaces/ns1/pods/p1/status", "", "application/json"],
    ["PATCH", "/api/v1/namespaces/ns1/pods/p1", "", "application/merge-patch+json"],
    ["PATCH", "/api/v1/namespaces/ns1/pods/p1", "", "application/strategic-merge-patch+json"],
    ["PATCH", "/api/v1/namespaces/ns1/pods/p1", "", "application/json-patch+json"],
    [
      "PATCH",
      "/api/v1/namespaces/ns1/pods/p1",
      "fieldManager=k8ts&force=true",
      "application/apply-patch+yaml",
    ],
    ["DELETE", "/api/v1/namespaces/ns1/pods/p1", "", "application/json"],
  ]);
  assert.ok(seen.every((s) => s.headers.authorization === "Bearer t0k"));
  assert.deepEqual(JSON.parse(seen[3]!.body).metadata.resourceVersion, "7", "PUT carries the version (CAS)");
  assert.deepEqual(JSON.parse(seen[9]!.body), { propagationPolicy: "Foreground" });
  assert.throws(() => api.get(PODS, "p1"), /namespace is required/);
  assert.throws(() => api.patch(PODS, "p1", "apply", {}, { namespace: "a" }), /fieldManager/);
});

test("list sends selectors; listAll pages with continue and returns one list", async () => {
  seen = [];
  answer = (req, res) => {
    const page = Number(req.query.get("continue") ?? 0);
    const items = [0, 1].map((i) => ({ metadata: { name: `p${page * 2 + i}` } }));
    json(res, 200, {
      kind: "PodList",
      apiVersion: "v1",
      metadata: { resourceVersion: "42", ...(page < 2 ? { continue: String(page + 1) } : {}) },
      items,
    });
  };
  const list = await api.listAll(PODS, {
    labelSelector: "app in (web,db)",
    fieldSelector: "spec.nodeName=n1",
    limit: 2,
    resourceVersion: "0",
  });
  assert.deepEqual(
    list.items.map((p) => p.metadata.name),
    ["p0", "p1", "p2", "p3", "p4", "p5"],
  );
  assert.equal(list.metadata.resourceVersion, "42");
  assert.equal(seen.length, 3);
  assert.equal(seen[0]!.path, "/api/v1/pods", "no namespace: all namespaces");
  assert.equal(seen[0]!.query.get("labelSelector"), "app in (web,db)");
  assert.equal(seen[0]!.query.get("fieldSelector"), "spec.nodeName=n1");
  assert.equal(seen[0]!.query.get("resourceVersion"), "0");
  assert.equal(seen[1]!.query.get("continue"), "1");
  assert.equal(seen[1]!.query.get("resourceVersion"), null, "the continue token pins the version");
});

test("Status bodies become ApiErrors the predicates recognise", async () => {
  const cases: [number, string, (e: unknown) => boolean][] = [
    [404, "NotFound", isNotFound],
    [409, "AlreadyExists", isAlreadyExists],
    [409, "Conflict", isConflict],
    [410, "Expired", isGone],
    [422, "Invalid", isInvalid],
  ];
  for (const [code, reason, is] of cases) {
    answer = (_req, res) => json(res, code, status(code, reason, `the ${reason} message`));
    const err = await api.get(PODS, "p1", { namespace: "a" }).catch((e) => e);
    assert.ok(err instanceof ApiError, reason);
    assert.equal(err.code, code);
    assert.equal(err.reason, reason);
    assert.equal(err.message, `the ${reason} message`);
    assert.equal(is(err), true, reason);
    assert.equal(isNetworkError(err), false);
  }
  answer = (_req, res) => json(res, 409, status(409, "AlreadyExists", "dup"));
  assert.equal(
    isConflict(await api.create(PODS, pod).catch((e) => e)),
    false,
    "AlreadyExists is not Conflict",
  );
  answer = (_req, res) => {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("404 page not found");
  };
  const plain = await api.get(NODES, "n").catch((e) => e);
  assert.equal(isNotFound(plain), true, "a bare 404 is still NotFound");
  assert.match(plain.message, /GET \/api\/v1\/nodes\/n: 404 404 page not found/);
});

test("an unreachable server and a server that never answers give network errors", async () => {
  const port = await freePort();
  const down = new RestClient({ server: `http://127.0.0.1:${port}` });
  const err = await down.get(NODES, "n").catch((e) => e);
  assert.equal(isNetworkError(err), true);
  assert.equal(err.code, 0);
  assert.equal(err.reason, "ServiceUnavailable");
  assert.match(err.message, /ECONNREFUSED/);
  answer = () => {}; // hold the request forever
  const slow = new RestClient({ server: api.server, timeoutMs: 100 });
  const timedOut = await slow.get(NODES, "n").catch((e) => e);
  assert.equal(isNetworkError(timedOut), true);
  assert.match(timedOut.message, /timed out after 100 ms/);
  // The deadline covers the body too: a server that sends the head and then stalls.
  answer = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"kind":');
  };
  const stalled = await slow.get(NODES, "n").catch((e) => e);
  assert.equal(isNetworkError(stalled), true);
  assert.match(stalled.message, /timed out after 100 ms/);
  // A caller's abort is not reported as a timeout.
  answer = () => {};
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 20);
  const aborted = await slow.get(NODES, "n", { signal: abort.signal }).catch((e) => e);
  assert.equal(isNetworkError(aborted), true);
  assert.doesNotMatch(aborted.message, /timed out/);
});

test("watch streams events (ERROR as a value) with the watch parameters, and abort closes the connection", async () => {
  seen = [];
  let stream: ServerResponse | undefined;
  let closed = false;
  answer = (_req, res) => {
    res.on("close", () => {
      closed = true;
    });
    res.writeHead(200, { "content-type": "application/json" });
    res.write(
      `${JSON.stringify({ type: "ADDED", object: { metadata: { name: "a", resourceVersion: "11" } } })}\n`,
    );
    stream = res;
  };
  const abort = new AbortController();
  const got: string[] = [];
  for await (const ev of api.watch(PODS, {
    namespace: "ns1",
    resourceVersion: "10",
    allowWatchBookmarks: true,
    timeoutSeconds: 301,
    labelSelector: "app=web",
    signal: abort.signal,
  })) {
    got.push(ev.type === "ERROR" ? `ERROR ${ev.object.code}` : `${ev.type} ${ev.object.metadata.name}`);
    if (got.length === 1) {
      stream!.write(
        '{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"12"}}}\n{"type":"ERR',
      );
      stream!.write(`OR","object":${JSON.stringify(status(410, "Expired", "too old"))}}\n`);
    }
    if (got.length === 3) abort.abort();
  }
  assert.deepEqual(got, ["ADDED a", "MODIFIED a", "ERROR 410"]);
  const q = seen[0]!.query;
  assert.equal(seen[0]!.path, "/api/v1/namespaces/ns1/pods");
  assert.deepEqual(
    ["watch", "resourceVersion", "allowWatchBookmarks", "timeoutSeconds", "labelSelector"].map((k) =>
      q.get(k),
    ),
    ["true", "10", "true", "301", "app=web"],
  );
  await waitFor(() => closed, { what: "the server to see the watch connection closed" });
  assert.equal(stream!.writableEnded, false, "closed by the client, not ended by the server");
});

test("a watch ends when the server ends the stream, and a refused watch throws before any event", async () => {
  answer = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(`${JSON.stringify({ type: "BOOKMARK", object: { metadata: { resourceVersion: "99" } } })}\n`);
  };
  const events = [];
  for await (const ev of api.watch(NODES)) events.push(ev);
  assert.deepEqual(events, [{ type: "BOOKMARK", object: { metadata: { resourceVersion: "99" } } }]);
  answer = (_req, res) => json(res, 410, status(410, "Expired", "too old resource version: 1 (50)"));
  await assert.rejects(
    async () => {
      for await (const _ of api.watch(NODES, { resourceVersion: "1" })) assert.fail("no events expected");
    },
    (e) => isGone(e),
  );
});

test("createOnly posts as create does, leaves a success's body undecoded, and still throws a refusal", async () => {
  seen = [];
  // Not JSON: create() would fail decoding it; createOnly() never reads it.
  answer = (_req, res) => {
    res.writeHead(201, { "content-type": "application/json" });
    res.end("not json");
  };
  const binding = { apiVersion: "v1", kind: "Binding", metadata: { name: "p1", namespace: "ns1" } };
  assert.equal(await api.createOnly(PODS, binding, { subresource: "binding" }), undefined);
  assert.equal(seen[0]!.method, "POST");
  assert.equal(seen[0]!.path, "/api/v1/namespaces/ns1/pods/p1/binding");
  assert.deepEqual(JSON.parse(seen[0]!.body), binding);
  await assert.rejects(api.create(PODS, binding, { subresource: "binding" }), /answer is not JSON/);

  answer = (_req, res) => json(res, 409, status(409, "AlreadyExists", 'pods "p1" already exists'));
  const err = await api.createOnly(PODS, pod).catch((e) => e);
  assert.equal(isAlreadyExists(err), true);
  assert.equal(err.message, 'pods "p1" already exists');
});
