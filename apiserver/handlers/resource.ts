// The verbs on a resource path: get, list, watch, create, update, patch, delete, deletecollection,
// and the subresources status, scale, binding and eviction. Parses HTTP, calls the registry, writes
// the answer; errors are thrown and mapped to Status by the server in one place.

import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CATALOG,
  formatLabelSelector,
  jsonPatch,
  mergePatch,
  PatchError,
  strategicMergePatch,
} from "../../api/index.js";
import type { DeleteOptions, KubeObject, LabelSelector, Status } from "../../api/meta.js";
import { checkObject, decodeObject, fieldValidationMode, mediaType, parseDocument } from "../body.js";
import { ApiError, badRequest, methodNotAllowed, requireResourceVersion } from "../errors.js";
import { filterFor } from "../filter.js";
import { parseSendInitialEvents } from "../list-options.js";
import type { Registry } from "../registry.js";
import type { RequestInfo } from "../request-info.js";
import { responseFormat, sendJson, sendList, sendObject } from "../respond.js";
import type { WatchCache } from "../watch-cache.js";
import { proxyLogs } from "./node-proxy.js";
import { serveWatch, type WatchMetrics } from "./watch.js";

export interface ResourceContext {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  query: URLSearchParams;
  body: Buffer | undefined;
  registry: Registry;
  cache: WatchCache;
  watchMetrics: WatchMetrics;
  /** How often a watch that allows bookmarks gets one (default: a minute). */
  bookmarkIntervalMs?: number;
}

const PATCH_TYPES = new Set([
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
]);

export async function handleResource(ctx: ResourceContext): Promise<void> {
  const { info } = ctx;
  switch (info.subresource) {
    case undefined:
      return handleMain(ctx);
    case "status":
      return handleStatus(ctx);
    case "scale":
      return handleScale(ctx);
    case "binding":
      return handleBinding(ctx);
    case "eviction":
      return handleEviction(ctx);
    case "log":
      if (info.verb !== "get") throw methodNotAllowed("pods/log only answers GET");
      return proxyLogs(ctx.res, ctx.registry, info, ctx.query);
    default:
      // exec and attach arrive as WebSocket upgrades (server.ts); a plain request cannot carry a stream.
      throw badRequest(
        `${info.resource.plural}/${info.subresource} needs a WebSocket upgrade (v5.channel.k8s.io): use kubectl 1.30 or newer`,
      );
  }
}

/** dryRun=All on the URL, or (deletes and evictions) in the DeleteOptions body, as kubectl sends it. */
function dryRun(q: URLSearchParams, opts?: DeleteOptions): boolean {
  const v = [...q.getAll("dryRun"), ...(opts?.dryRun ?? [])];
  if (v.length === 0) return false;
  for (const x of v) if (x !== "All") throw badRequest(`dryRun must be "All", got "${x}"`);
  return true;
}

async function handleMain(ctx: ResourceContext): Promise<void> {
  const { info, query: q, res, req, registry } = ctx;
  const r = info.resource;
  const ns = info.namespace;
  const fmt = responseFormat(req.headers.accept, q);
  switch (info.verb) {
    case "get": {
      if (q.get("watch") === "true") {
        return serveWatch(req, res, r, ns, q, ctx.cache, ctx.watchMetrics, info.name, ctx.bookmarkIntervalMs);
      }
      const obj = await registry.get(r, ns, info.name!);
      return sendObject(res, 200, r, obj, fmt);
    }
    case "list": {
      parseSendInitialEvents(q, false);
      if (q.get("resourceVersion") === "0" && !q.get("continue")) {
        // "Any freshness will do": served from the watch cache without touching etcd, whole (a
        // limit is ignored, as kube-apiserver does for cache reads), once the cache has its list.
        const cache = ctx.cache.for(r);
        await cache.start();
        const cached = cache.snapshot(filterFor(r, ns, q));
        return sendList(res, r, cached.items, { resourceVersion: String(cached.resourceVersion) }, fmt);
      }
      const limit = Number(q.get("limit") ?? "0");
      const page = await registry.list(r, {
        namespace: ns,
        filter: filterFor(r, undefined, q),
        limit: Number.isFinite(limit) && limit > 0 ? limit : undefined,
        continueToken: q.get("continue") || undefined,
      });
      const meta: Record<string, unknown> = { resourceVersion: String(page.revision) };
      if (page.continueToken) meta.continue = page.continueToken;
      return sendList(res, r, page.items, meta, fmt);
    }
    case "watch":
      return serveWatch(req, res, r, ns, q, ctx.cache, ctx.watchMetrics, undefined, ctx.bookmarkIntervalMs);
    case "create": {
      if (r.namespaced && ns === undefined)
        throw methodNotAllowed(
          `create ${r.plural} under a namespace: POST /.../namespaces/<namespace>/${r.plural}`,
        );
      const { object, warnings } = decodeObject(
        ctx.body,
        req.headers["content-type"],
        r,
        fieldValidationMode(q),
      );
      const created = await registry.create(r, ns, object, { dryRun: dryRun(q) });
      return sendObject(res, 201, r, created, fmt, warnings);
    }
    case "update": {
      const { object, warnings } = decodeObject(
        ctx.body,
        req.headers["content-type"],
        r,
        fieldValidationMode(q),
      );
      const updated = await registry.update(r, ns, info.name!, object, { dryRun: dryRun(q) });
      return sendObject(res, 200, r, updated, fmt, warnings);
    }
    case "patch":
      return handlePatch(ctx, undefined);
    case "delete": {
      const opts = deleteOptions(ctx);
      const obj = await registry.delete(r, ns, info.name!, opts, { dryRun: dryRun(q, opts) });
      return sendObject(res, 200, r, obj, fmt);
    }
    case "deletecollection": {
      const opts = deleteOptions(ctx);
      const page = await registry.list(r, { namespace: ns, filter: filterFor(r, undefined, q) });
      const gone: KubeObject[] = [];
      for (const o of page.items) {
        try {
          gone.push(
            await registry.delete(r, o.metadata.namespace, o.metadata.name!, opts, {
              dryRun: dryRun(q, opts),
            }),
          );
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        }
      }
      return sendList(
        res,
        r,
        gone,
        { resourceVersion: String(page.revision) },
        { table: false, includeObject: "Object" },
      );
    }
    default:
      throw methodNotAllowed(`${info.verb} is not supported on ${r.plural}`);
  }
}

function deleteOptions(ctx: ResourceContext): DeleteOptions {
  const q = ctx.query;
  let opts: DeleteOptions = {};
  if (ctx.body && ctx.body.length > 0) {
    const decoded = decodeObject(
      ctx.body,
      ctx.req.headers["content-type"],
      ctx.info.resource,
      "Ignore",
      { kind: "DeleteOptions", apiVersion: "v1" },
      "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
    );
    opts = decoded.object as unknown as DeleteOptions;
  }
  const grace = q.get("gracePeriodSeconds");
  if (grace !== null) opts.gracePeriodSeconds = Number(grace);
  const prop = q.get("propagationPolicy");
  if (prop === "Orphan" || prop === "Background" || prop === "Foreground") opts.propagationPolicy = prop;
  if (opts.gracePeriodSeconds !== undefined && !Number.isInteger(opts.gracePeriodSeconds)) {
    throw badRequest("gracePeriodSeconds must be a whole number");
  }
  return opts;
}

/** Applies a patch document to a JSON value according to its media type. */
export function applyPatch(type: string, current: unknown, doc: unknown, rootStruct: string): unknown {
  switch (type) {
    case "application/json-patch+json":
      return jsonPatch(current, doc);
    case "application/merge-patch+json":
      return mergePatch(current, doc);
    default:
      // strategic merge patch, and server-side apply treated as a strategic merge of the applied fields
      return strategicMergePatch(current, doc, CATALOG, rootStruct);
  }
}

async function handlePatch(ctx: ResourceContext, subresource: "status" | undefined): Promise<void> {
  const { info, query: q, req, res, registry } = ctx;
  const r = info.resource;
  const type = mediaType(req.headers["content-type"]);
  if (!PATCH_TYPES.has(type)) {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${[...PATCH_TYPES].join(", ")}`,
    );
  }
  if (!ctx.body || ctx.body.length === 0) throw badRequest("the patch is empty");
  const doc = parseDocument(ctx.body, type);
  const mode = fieldValidationMode(q);
  const fmt = responseFormat(req.headers.accept, q);
  let warnings: string[] = [];

  if (type === "application/apply-patch+yaml") {
    const existing = await registry.storage.get(r, info.namespace, info.name!);
    if (!existing) {
      const { object, warnings: w } = checkObject(doc, r, mode);
      if (object.metadata.name && object.metadata.name !== info.name)
        throw badRequest("the name in the body does not match the URL");
      object.metadata.name = info.name;
      const created = await registry.create(r, info.namespace, object, { dryRun: dryRun(q) });
      return sendObject(res, 201, r, created, fmt, w);
    }
  }

  const patchRv = (doc as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  const updated = await registry.guaranteedUpdate(
    r,
    info.namespace,
    info.name!,
    (cur) => {
      if (typeof patchRv === "string") requireResourceVersion(r, info.name!, patchRv, cur);
      let patched: unknown;
      try {
        patched = applyPatch(type, cur, doc, r.schema);
      } catch (err) {
        throw patchFailure(err);
      }
      const checked = checkObject(patched, r, mode);
      warnings = checked.warnings;
      return checked.object;
    },
    { dryRun: dryRun(q), subresource },
  );
  sendObject(res, 200, r, updated, fmt, warnings);
}

function patchFailure(err: unknown): unknown {
  if (err instanceof PatchError) {
    const code = err.reason === "Invalid" ? 422 : err.reason === "Conflict" ? 409 : 400;
    return new ApiError(code, err.reason, err.message);
  }
  return err;
}

async function handleStatus(ctx: ResourceContext): Promise<void> {
  const { info, query: q, req, res, registry } = ctx;
  const r = info.resource;
  const fmt = responseFormat(req.headers.accept, q);
  switch (info.verb) {
    case "get":
      return sendObject(res, 200, r, await registry.get(r, info.namespace, info.name!), fmt);
    case "update": {
      const { object, warnings } = decodeObject(
        ctx.body,
        req.headers["content-type"],
        r,
        fieldValidationMode(q),
      );
      const updated = await registry.update(r, info.namespace, info.name!, object, {
        dryRun: dryRun(q),
        subresource: "status",
      });
      return sendObject(res, 200, r, updated, fmt, warnings);
    }
    case "patch":
      return handlePatch(ctx, "status");
    default:
      throw methodNotAllowed(`${info.verb} is not supported on ${r.plural}/status`);
  }
}

function toScale(obj: KubeObject): KubeObject {
  const spec = obj.spec as { replicas?: number; selector?: LabelSelector } | undefined;
  const status = obj.status as { replicas?: number } | undefined;
  const m = obj.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: spec?.replicas ?? 0 },
    status: {
      replicas: status?.replicas ?? 0,
      selector: spec?.selector ? formatLabelSelector(spec.selector) : "",
    },
  };
}

async function handleScale(ctx: ResourceContext): Promise<void> {
  const { info, query: q, req, res, registry } = ctx;
  const r = info.resource;
  const send = (obj: KubeObject) => sendJson(res, 200, toScale(obj));
  if (info.verb === "get") return send(await registry.get(r, info.namespace, info.name!));
  if (info.verb !== "update" && info.verb !== "patch")
    throw methodNotAllowed(`${info.verb} is not supported on ${r.plural}/scale`);
  const type = mediaType(req.headers["content-type"]);
  const doc = parseDocument(ctx.body ?? Buffer.alloc(0), type);
  const updated = await registry.guaranteedUpdate(
    r,
    info.namespace,
    info.name!,
    (cur) => {
      const scale = toScale(cur);
      let next: unknown;
      if (info.verb === "update") {
        next = doc;
        const rv = (doc as KubeObject).metadata?.resourceVersion;
        if (rv) requireResourceVersion(r, info.name!, rv, cur);
      } else {
        try {
          next = applyPatch(
            type === "application/strategic-merge-patch+json" ? "application/merge-patch+json" : type,
            scale,
            doc,
            "",
          );
        } catch (err) {
          throw patchFailure(err);
        }
      }
      const replicas = (next as { spec?: { replicas?: unknown } })?.spec?.replicas;
      if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
        throw new ApiError(
          422,
          "Invalid",
          `Scale.autoscaling "${info.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
          {
            name: info.name,
            kind: "Scale",
            group: "autoscaling",
            causes: [
              {
                reason: "FieldValueInvalid",
                message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
                field: "spec.replicas",
              },
            ],
          },
        );
      }
      return { ...cur, spec: { ...(cur.spec as object), replicas } };
    },
    { dryRun: dryRun(q), retry: info.verb === "patch" },
  );
  send(updated);
}

async function handleBinding(ctx: ResourceContext): Promise<void> {
  const { info, res, registry } = ctx;
  if (info.verb !== "create") throw methodNotAllowed("bindings can only be created (POST)");
  const doc = parseDocument(ctx.body ?? Buffer.alloc(0), mediaType(ctx.req.headers["content-type"])) as {
    target?: { name?: string; kind?: string };
  };
  const node = doc?.target?.name;
  if (!node) throw badRequest("a Binding needs target.name: the node to bind the pod to");
  await registry.bind(info.namespace!, info.name!, node, { dryRun: dryRun(ctx.query) });
  const ok: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
  sendJson(res, 201, ok);
}

async function handleEviction(ctx: ResourceContext): Promise<void> {
  const { info, res, registry } = ctx;
  if (info.verb !== "create") throw methodNotAllowed("evictions can only be created (POST)");
  const doc = parseDocument(ctx.body ?? Buffer.alloc(0), mediaType(ctx.req.headers["content-type"])) as {
    kind?: string;
    deleteOptions?: DeleteOptions;
    metadata?: { name?: string };
  };
  if (doc?.metadata?.name && doc.metadata.name !== info.name)
    throw badRequest("the name in the Eviction does not match the pod");
  // No PodDisruptionBudgets exist in k8ts yet, so every eviction is allowed (a graceful delete).
  const opts = doc?.deleteOptions ?? {};
  await registry.delete(info.resource, info.namespace, info.name!, opts, {
    dryRun: dryRun(ctx.query, opts),
  });
  const ok: Status = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
  sendJson(res, 201, ok);
}
