// The HTTP face of the API server: discovery, OpenAPI, health and metrics endpoints, and every
// resource path, over one etcd storage and one watch cache. All failures leave through statusFor().

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Status } from "../api/meta.js";
import { RESOURCES, resourceFor } from "../api/resources.js";
import {
  aggregatedDiscovery,
  aggregatedDiscoveryContentType,
  legacyApiVersions,
  legacyGroupList,
  legacyResourceList,
  versionInfo,
} from "./discovery.js";
import { statusFor, statusObject } from "./errors.js";
import { proxyUpgrade } from "./handlers/node-proxy.js";
import { handleResource } from "./handlers/resource.js";
import { ApiMetrics } from "./metrics.js";
import { NamespaceLifecycle } from "./namespace-lifecycle.js";
import {
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
  openapiV2Document,
  openapiV2Protobuf,
  openapiV3Document,
  openapiV3Index,
} from "./openapi.js";
import { readBody } from "./read-body.js";
import { Registry } from "./registry.js";
import { parseResourcePath, type RequestInfo } from "./request-info.js";
import { sendJson, sendStatus } from "./respond.js";
import { EtcdStorage } from "./storage/etcd.js";
import { WatchCache } from "./watch-cache.js";

export interface ApiServerOptions {
  etcdServers: string[];
  /** etcd key prefix, so several clusters can share one etcd. */
  etcdPrefix?: string;
  bindAddress?: string;
  port?: number;
  /** Largest accepted request body; Kubernetes' limit is 3 MiB. */
  maxBodyBytes?: number;
  /** How often watches that allow bookmarks get a BOOKMARK event; a minute by default. */
  watchBookmarkIntervalMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface ApiServer {
  url: string;
  port: number;
  storage: EtcdStorage;
  metrics: ApiMetrics;
  close(): Promise<void>;
}

const BOOTSTRAP_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const log = opts.log ?? (() => {});
  /** A request that failed on our side (5xx) is logged; a client's mistake is only answered. */
  const logServerError = (method: string | undefined, path: string, s: Status) => {
    if (s.code >= 500) log({ level: "error", msg: "request failed", method, path, err: s.message });
  };
  const storage = new EtcdStorage(opts.etcdServers, opts.etcdPrefix ?? "/registry");
  const cache = new WatchCache(storage, (err) =>
    log({ level: "warn", msg: "watch cache reset", err: err.message }),
  );
  const registry = new Registry(storage, cache);
  const metrics = new ApiMetrics();
  const watchMetrics = metrics.watchMetrics();

  const namespaces = new NamespaceLifecycle(registry, log);
  registry.onNamespaceTerminating = () => void namespaces.pass();

  const maxBody = opts.maxBodyBytes ?? 3 * 1024 * 1024;
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  app.set("query parser", "simple");
  app.use(
    express.raw({
      type: () => true,
      limit: maxBody,
    }),
  );

  app.get(["/healthz", "/livez"], (_req, res) => {
    res.type("text/plain").send("ok");
  });
  // Ready means bootstrapped (default namespaces exist, caches synced) and etcd answering now.
  let bootstrapped = false;
  app.get("/readyz", async (_req, res) => {
    if (!bootstrapped) {
      res.status(503).type("text/plain").send("bootstrapping: waiting for etcd");
      return;
    }
    try {
      await storage.revision();
      res.type("text/plain").send("ok");
    } catch (err) {
      res
        .status(503)
        .type("text/plain")
        .send(`etcd: ${(err as Error).message}`);
    }
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get("/version", (_req, res) => sendJson(res, 200, versionInfo()));
  app.get(["/api", "/apis"], (req, res) => {
    const which = req.path === "/api" ? "api" : "apis";
    const ct = aggregatedDiscoveryContentType(req.headers.accept);
    if (ct) {
      const body = JSON.stringify(aggregatedDiscovery(which, ct.includes("v2beta1") ? "v2beta1" : "v2"));
      res.writeHead(200, { "Content-Type": ct, "Content-Length": Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const host = req.headers.host ?? "127.0.0.1";
    sendJson(res, 200, which === "api" ? legacyApiVersions(host) : legacyGroupList());
  });
  app.get(["/api/v1", "/apis/:group/:version"], (req, res, next) => {
    const group = String(req.params.group ?? "");
    const version = String(req.params.version ?? "v1");
    const list = legacyResourceList(group, version);
    if (!list) return next();
    sendJson(res, 200, list);
  });
  // kubectl 1.27/1.28 decide server-side field validation from the v2 document (protobuf).
  app.get(["/openapi/v2", "/swagger-2.0.0.pb-v1"], (req, res) => {
    if ((req.headers.accept ?? "").includes("protobuf")) {
      const body = Buffer.from(openapiV2Protobuf());
      res.writeHead(200, { "Content-Type": OPENAPI_V2_PROTOBUF_CONTENT_TYPE, "Content-Length": body.length });
      res.end(body);
      return;
    }
    sendJson(res, 200, openapiV2Document());
  });
  app.get("/openapi/v3", (_req, res) => sendJson(res, 200, openapiV3Index()));
  app.get(/^\/openapi\/v3\/(.+)$/, (req, res) => {
    const doc = openapiV3Document(req.path.slice("/openapi/v3/".length));
    if (!doc) {
      sendStatus(res, statusObject(404, "NotFound", `no OpenAPI document for ${req.path}`));
      return;
    }
    res.setHeader("Cache-Control", "public, immutable");
    sendJson(res, 200, doc);
  });

  /** One resource request (info parsed from `url`), errors mapped to a Status, and its metrics. */
  const serveResource = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    info: RequestInfo,
    body: () => Buffer | undefined | Promise<Buffer | undefined>,
  ): Promise<void> => {
    const started = process.hrtime.bigint();
    const verb = info.verb;
    const resource = info.subresource ? `${info.resource.plural}/${info.subresource}` : info.resource.plural;
    try {
      await handleResource({
        req,
        res,
        info,
        query: url.searchParams,
        body: await body(),
        registry,
        cache,
        watchMetrics,
        bookmarkIntervalMs: opts.watchBookmarkIntervalMs,
      });
    } catch (err) {
      const s = statusFor(err);
      logServerError(req.method, url.pathname, s);
      if (!res.headersSent) sendStatus(res, s);
      else res.end();
    } finally {
      if (verb !== "watch") {
        metrics.latency.observe({ verb, resource }, Number(process.hrtime.bigint() - started) / 1e9);
      }
      metrics.requests.inc({ verb, resource, code: String(res.statusCode) });
    }
  };

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const url = new URL(req.originalUrl, "http://k8ts");
    let info: RequestInfo | undefined;
    try {
      info = parseResourcePath(req.method, url.pathname, url.searchParams);
    } catch (err) {
      const s = statusFor(err);
      logServerError(req.method, url.pathname, s);
      metrics.requests.inc({ verb: req.method.toLowerCase(), resource: "", code: String(s.code) });
      sendStatus(res, s);
      return;
    }
    if (!info) return next();
    await serveResource(req, res, url, info, () => (Buffer.isBuffer(req.body) ? req.body : undefined));
  });

  app.use((req: Request, res: Response) => {
    sendStatus(
      res,
      statusObject(
        404,
        "NotFound",
        `the server could not find the requested resource (${req.method} ${req.path})`,
      ),
    );
  });
  // Errors from the body reader (too large, unreadable) still leave as a Status.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendStatus(res, statusFor(err));
  });

  // Resource requests (nearly all traffic) skip express: its router and body parser were a
  // visible share of each write's CPU. The same handler serves them either way; express keeps the
  // other routes and bodies with a Content-Encoding (which it inflates).
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const raw = req.url ?? "/";
    if ((raw.startsWith("/api/") || raw.startsWith("/apis/")) && !req.headers["content-encoding"]) {
      let url: URL | undefined;
      let info: RequestInfo | undefined;
      try {
        url = new URL(raw, "http://k8ts");
        info = parseResourcePath(req.method ?? "GET", url.pathname, url.searchParams);
      } catch {
        info = undefined; // express answers, with the same mapping
      }
      if (url && info) {
        void serveResource(req, res, url, info, () => readBody(req, maxBody));
        return;
      }
    }
    app(req, res);
  };
  const server: Server = createServer(onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 6443, opts.bindAddress ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  // exec/attach: WebSocket upgrades relayed to the pod's node agent.
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://k8ts");
    let info: ReturnType<typeof parseResourcePath>;
    try {
      info = parseResourcePath(req.method ?? "GET", url.pathname, url.searchParams);
    } catch {
      info = undefined;
    }
    if (!info || (info.subresource !== "exec" && info.subresource !== "attach")) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    // Counted with the code the client really got (101 only when the node agent upgraded).
    const resource = `pods/${info.subresource}`;
    void proxyUpgrade(req, socket, head, registry, info, url.searchParams).then((code) =>
      metrics.requests.inc({ verb: "connect", resource, code: String(code) }),
    );
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0; // watches are long-lived
  const port = (server.address() as AddressInfo).port;
  const host = opts.bindAddress ?? "127.0.0.1";
  log({ level: "info", msg: "apiserver listening", url: `http://${host}:${port}` });

  // Bootstrap once etcd answers: a server started before its etcd waits (readyz says so) instead
  // of exiting, so components can start in any order and converge.
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureNamespaces(registry);
      // Every resource's cache starts now, so the first watch does not pay for the initial list.
      await Promise.all(RESOURCES.map((r) => cache.for(r).start()));
      break;
    } catch (err) {
      if (attempt === 1 || attempt % 10 === 0) {
        log({ level: "warn", msg: "waiting for etcd", attempt, err: (err as Error).message });
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  namespaces.start();
  bootstrapped = true;
  log({ level: "info", msg: "apiserver ready" });

  return {
    url: `http://${host}:${port}`,
    port,
    storage,
    metrics,
    async close() {
      namespaces.stop();
      await cache.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      storage.close();
    },
  };
}

/** default, kube-system, kube-public and kube-node-lease exist from the start (created if missing). */
async function ensureNamespaces(registry: Registry): Promise<void> {
  const ns = resourceFor("", "namespaces")!;
  for (const name of BOOTSTRAP_NAMESPACES) {
    if (await registry.storage.get(ns, undefined, name)) continue;
    try {
      await registry.create(ns, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
}
