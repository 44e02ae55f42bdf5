// RestClient: Kubernetes REST verbs over keep-alive connections pooled per origin (one-shot calls
// on plain http through http1-pool.ts, or POSTs pipelined through http1-pipeline.ts when the caller
// asks; watches and https through node:http(s) in http-transport.ts; a caller's own fetch can
// replace all of them). Paths come from the resource registry:
// `/api/v1/...` for the core group, `/apis/{group}/{version}/...` otherwise, `/namespaces/{ns}/` for
// namespaced resources, and an optional subresource after the name. Failures are thrown as ApiError
// (errors.ts); watch events, including ERROR events, are values.

import type { DeleteOptions, KubeList, KubeObject, ResourceType, Status } from "../api/index.js";
import { ApiError, errorFromResponse, networkError } from "./errors.js";
import { fetchTransport, type HttpResponse, nodeTransport, type Transport } from "./http-transport.js";
import { http1PipelineTransport } from "./http1-pipeline.js";
import { http1PoolTransport } from "./http1-pool.js";
import type { ClientConfig } from "./kubeconfig.js";
import { decodeWatchStream, type WatchEventOf } from "./watch-stream.js";

/** The part of a registry entry a path needs; any `ResourceType` from api/resources.ts fits. */
export type ResourceRef = Pick<ResourceType, "group" | "version" | "plural" | "namespaced">;

export interface RestClientOptions {
  /** "http://127.0.0.1:6443" */
  server: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  userAgent?: string;
  /** Deadline for every call except watch; 30 s when omitted. */
  timeoutMs?: number;
  /** The Accept header of every call; application/json when omitted (the CLI asks for Tables). */
  accept?: string;
  /** Sends through this fetch instead of node:http (tests). */
  fetch?: typeof fetch;
  /**
   * POSTs (creates, pods/binding) on plain http go out pipelined (http1-pipeline.ts): those made in
   * the same turn of the event loop share one write. For a client that makes many short creates at
   * once and retries or drops a failed one (the scheduler's binds and Events); a deadline or a
   * broken connection fails every POST waiting on that connection.
   */
  pipelinePosts?: boolean;
}

/** Where a single-object call goes. Namespaced resources need a namespace (option or object's). */
export interface ObjectOptions {
  namespace?: string;
  subresource?: string;
  /** Server-side dry run (`dryRun=All`): validated and answered, never stored. */
  dryRun?: boolean;
  fieldManager?: string;
  signal?: AbortSignal;
}

export interface SelectorOptions {
  /** Omitted for a namespaced resource: all namespaces. */
  namespace?: string;
  /** Label selector in string form: "app=web,tier in (a,b)". */
  labelSelector?: string;
  /** Field selector in string form: "spec.nodeName=node-1". */
  fieldSelector?: string;
  signal?: AbortSignal;
}

export interface ListOptions extends SelectorOptions {
  limit?: number;
  continue?: string;
  /** "" (or omitted) = most recent; "0" = any freshness. */
  resourceVersion?: string;
}

export interface WatchOptions extends SelectorOptions {
  /** Start after this version; omitted = synthetic ADDED events for the current state first. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** The server ends the stream after this long; the caller resumes from the last version seen. */
  timeoutSeconds?: number;
  /**
   * true: the current state first, as ADDED events (no newer than resourceVersion: "" the most
   * recent, "0" any), ended by a bookmark annotated k8s.io/initial-events-end (with
   * allowWatchBookmarks): a list and a watch in one stream. Sent with resourceVersionMatch=NotOlderThan.
   */
  sendInitialEvents?: boolean;
}

export type PatchType = "merge" | "strategic" | "json" | "apply";

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
  // JSON is YAML, so an apply configuration can be sent as JSON under the YAML media type.
  apply: "application/apply-patch+yaml",
};

export interface PatchOptions extends ObjectOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteCallOptions extends Omit<ObjectOptions, "subresource" | "fieldManager"> {
  options?: DeleteOptions;
}

type Query = Record<string, string | number | boolean | undefined>;

interface RequestInit {
  query?: Query;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /** false: a success's body is not decoded (the caller only needs to know it worked). */
  decode?: boolean;
}

/** `/api/v1/namespaces/default/pods/p1/status` and friends. */
export function resourcePath(
  r: ResourceRef,
  at: { namespace?: string; name?: string; subresource?: string } = {},
): string {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && at.namespace ? `/namespaces/${encodeURIComponent(at.namespace)}` : "";
  let path = `${root}${ns}/${r.plural}`;
  if (at.name !== undefined) path += `/${encodeURIComponent(at.name)}`;
  if (at.subresource) path += `/${at.subresource}`;
  return path;
}

export class RestClient {
  readonly server: string;
  private readonly token: string | undefined;
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly accept: string;
  private readonly send: Transport;
  /** One-shot calls (all but watch): the lean keep-alive pool on plain http (http1-pool.ts). */
  private readonly sendOnce: Transport;
  private readonly sendPost: Transport;

  constructor(opts: RestClientOptions) {
    this.server = opts.server.replace(/\/+$/, "");
    this.token = opts.token;
    this.userAgent = opts.userAgent ?? "k8ts-client";
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.accept = opts.accept ?? "application/json";
    this.send = opts.fetch ? fetchTransport(opts.fetch) : nodeTransport;
    this.sendOnce = !opts.fetch && this.server.startsWith("http:") ? http1PoolTransport : this.send;
    this.sendPost =
      opts.pipelinePosts && this.sendOnce === http1PoolTransport ? http1PipelineTransport : this.sendOnce;
  }

  static fromConfig(cfg: ClientConfig, opts: Partial<RestClientOptions> = {}): RestClient {
    return new RestClient({ server: cfg.server, token: cfg.token, ...opts });
  }

  get<T extends KubeObject = KubeObject>(r: ResourceRef, name: string, opts: ObjectOptions = {}): Promise<T> {
    return this.request<T>("GET", this.objectPath(r, name, opts.namespace, opts.subresource), {
      signal: opts.signal,
    });
  }

  /** One page (or everything, when no limit is given and the server does not chunk). */
  list<T extends KubeObject = KubeObject>(r: ResourceRef, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.request<KubeList<T>>("GET", resourcePath(r, { namespace: opts.namespace }), {
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.limit,
        continue: opts.continue,
        resourceVersion: opts.resourceVersion,
      },
      signal: opts.signal,
    });
  }

  /**
   * Pages through a list with limit/continue and returns every item. The server serves all pages
   * at the first page's resourceVersion, so the result is one consistent snapshot.
   */
  async listAll<T extends KubeObject = KubeObject>(
    r: ResourceRef,
    opts: Omit<ListOptions, "continue"> = {},
  ): Promise<KubeList<T>> {
    const limit = opts.limit ?? 500;
    const first = await this.list<T>(r, { ...opts, limit });
    const items = [...(first.items ?? [])];
    let next = first.metadata?.continue;
    while (next) {
      // resourceVersion must not be sent with continue: the token pins the version.
      const page = await this.list<T>(r, { ...opts, resourceVersion: undefined, limit, continue: next });
      items.push(...(page.items ?? []));
      next = page.metadata?.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata?.resourceVersion }, items };
  }

  create<T extends KubeObject>(
    r: ResourceRef,
    obj: T,
    opts: ObjectOptions & { name?: string } = {},
  ): Promise<T> {
    return this.post<T>(r, obj, opts, true);
  }

  /**
   * create() for a caller that only needs to know it worked (a bind, an Event), as client-go's
   * Do().Error(): the answer is not decoded unless it is an error, which throws as from create().
   */
  async createOnly(
    r: ResourceRef,
    obj: KubeObject,
    opts: ObjectOptions & { name?: string } = {},
  ): Promise<void> {
    await this.post(r, obj, opts, false);
  }

  private post<T>(
    r: ResourceRef,
    obj: KubeObject,
    opts: ObjectOptions & { name?: string },
    decode: boolean,
  ): Promise<T> {
    const namespace = opts.namespace ?? obj.metadata?.namespace;
    // Creating through a subresource (pods/binding, pods/eviction) posts to the parent's name.
    const path = opts.subresource
      ? this.objectPath(r, opts.name ?? obj.metadata?.name ?? "", namespace, opts.subresource)
      : this.collectionPath(r, namespace);
    return this.request<T>("POST", path, { body: obj, query: writeQuery(opts), signal: opts.signal, decode });
  }

  /** PUT: a compare-and-swap on metadata.resourceVersion when it is set (stale → 409 Conflict). */
  update<T extends KubeObject>(r: ResourceRef, obj: T, opts: ObjectOptions = {}): Promise<T> {
    const path = this.objectPath(
      r,
      requireName(obj),
      opts.namespace ?? obj.metadata.namespace,
      opts.subresource,
    );
    return this.request<T>("PUT", path, { body: obj, query: writeQuery(opts), signal: opts.signal });
  }

  /** PUT to the status subresource: the server keeps spec as stored. */
  updateStatus<T extends KubeObject>(r: ResourceRef, obj: T, opts: Omit<ObjectOptions, "subresource"> = {}) {
    return this.update<T>(r, obj, { ...opts, subresource: "status" });
  }

  patch<T extends KubeObject = KubeObject>(
    r: ResourceRef,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: PatchOptions = {},
  ): Promise<T> {
    if (type === "apply" && !opts.fieldManager) {
      throw new TypeError("server-side apply needs a fieldManager");
    }
    return this.request<T>("PATCH", this.objectPath(r, name, opts.namespace, opts.subresource), {
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      query: { ...writeQuery(opts), force: opts.force || undefined },
      signal: opts.signal,
    });
  }

  /**
   * DELETE. The answer is the object (still present with a deletionTimestamp while graceful
   * deletion or finalizers are pending, else its last state) or a Success Status.
   */
  delete<T extends KubeObject = KubeObject>(
    r: ResourceRef,
    name: string,
    opts: DeleteCallOptions = {},
  ): Promise<T | Status> {
    return this.request<T | Status>("DELETE", this.objectPath(r, name, opts.namespace), {
      body: opts.options ?? {},
      query: { dryRun: opts.dryRun ? "All" : undefined },
      signal: opts.signal,
    });
  }

  /**
   * Streams watch events until the server ends the stream (returns), `signal` aborts (returns) or
   * the connection fails (throws ApiError with `network`). A non-2xx answer to the request itself
   * (e.g. 410 for a too-old resourceVersion) throws ApiError before any event. Breaking out of the
   * loop closes the connection.
   */
  async *watch<T extends KubeObject = KubeObject>(
    r: ResourceRef,
    opts: WatchOptions = {},
  ): AsyncGenerator<WatchEventOf<T>> {
    const path = resourcePath(r, { namespace: opts.namespace });
    const query: Query = {
      watch: true,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      resourceVersion: opts.resourceVersion,
      allowWatchBookmarks: opts.allowWatchBookmarks || undefined,
      timeoutSeconds: opts.timeoutSeconds,
      sendInitialEvents: opts.sendInitialEvents,
      resourceVersionMatch: opts.sendInitialEvents === undefined ? undefined : "NotOlderThan",
    };
    const own = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, own.signal]) : own.signal;
    const what = `watch ${path}`;
    try {
      let res: HttpResponse;
      try {
        res = await this.send({ method: "GET", url: this.url(path, query), headers: this.headers(), signal });
      } catch (err) {
        if (signal.aborted) return;
        throw networkError(what, err);
      }
      if (!ok(res.status)) throw errorFromResponse(res.status, await res.text().catch(() => ""), what);
      try {
        yield* decodeWatchStream<T>(res.body);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof Error && err.name === "WatchDecodeError") throw err;
        throw networkError(what, err);
      }
    } finally {
      own.abort();
    }
  }

  /** Any call by path: discovery, /version, /healthz. JSON in and out. */
  async request<T>(method: string, path: string, init: RequestInit = {}): Promise<T> {
    const what = `${method} ${path}`;
    const headers = this.headers();
    let body: string | undefined;
    if (init.body !== undefined) {
      headers["content-type"] = init.contentType ?? "application/json";
      body = JSON.stringify(init.body);
    }
    let res: HttpResponse;
    let text: string;
    try {
      res = await (method === "POST" ? this.sendPost : this.sendOnce)({
        method,
        url: this.url(path, init.query ?? {}),
        headers,
        body,
        signal: init.signal,
        timeoutMs: this.timeoutMs,
      });
      text = await res.text();
    } catch (err) {
      throw networkError(what, err);
    }
    if (!ok(res.status)) throw errorFromResponse(res.status, text, what);
    if (init.decode === false) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        code: res.status,
        reason: "InternalError",
        message: `${what}: answer is not JSON: ${text.slice(0, 120)}`,
      });
    }
  }

  private url(path: string, query: Query): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
    const qs = params.toString();
    return `${this.server}${path}${qs ? `?${qs}` : ""}`;
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { accept: this.accept, "user-agent": this.userAgent };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    return h;
  }

  private collectionPath(r: ResourceRef, namespace: string | undefined): string {
    if (r.namespaced && !namespace) throw new TypeError(`${r.plural} is namespaced: a namespace is required`);
    return resourcePath(r, { namespace });
  }

  private objectPath(r: ResourceRef, name: string, namespace?: string, subresource?: string): string {
    if (!name) throw new TypeError(`${r.plural}: a name is required`);
    if (r.namespaced && !namespace) throw new TypeError(`${r.plural} is namespaced: a namespace is required`);
    return resourcePath(r, { namespace, name, subresource });
  }
}

function ok(status: number): boolean {
  return status >= 200 && status < 300;
}

function writeQuery(opts: ObjectOptions): Query {
  return { dryRun: opts.dryRun ? "All" : undefined, fieldManager: opts.fieldManager };
}

function requireName(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new TypeError("object has no metadata.name");
  return name;
}
