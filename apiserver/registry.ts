// The REST semantics of every resource on top of etcd storage: create, read, update, patch and
// delete with Kubernetes' rules (server-set metadata, defaults, validation, optimistic concurrency,
// status subresources, graceful pod deletion, finalizers, dry runs). Handlers parse HTTP and call
// this; this never sees HTTP.

import { applyDefaults, validateCreate, validateStatusUpdate, validateUpdate } from "../api/index.js";
import type { DeleteOptions, KubeObject, StatusCause } from "../api/meta.js";
import { apiVersionOf, type ResourceType, resourceFor } from "../api/resources.js";
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  requireResourceVersion,
} from "./errors.js";
import { markTerminating } from "./namespace-lifecycle.js";
import type { EtcdStorage, ListPage } from "./storage/etcd.js";
import {
  hasStatusSubresource,
  nowRfc3339,
  prepareForCreate,
  prepareForStatusUpdate,
  prepareForUpdate,
  sameObject,
} from "./strategy.js";
import type { WatchCache } from "./watch-cache.js";

export interface WriteOptions {
  dryRun?: boolean;
}

export type Mutation = (current: KubeObject) => KubeObject | Promise<KubeObject>;

const NAMESPACES = resourceFor("", "namespaces")!;
const UNDELETABLE_NAMESPACES = new Set(["default", "kube-system", "kube-public"]);
const MAX_CONFLICT_RETRIES = 8;
/**
 * How long after marking a namespace terminating a create in it reads the namespace from etcd:
 * the watch cache hears of the mark a moment after the DELETE has answered (kube-apiserver's
 * namespace lifecycle admission forces a live lookup the same way, for 30 s).
 */
const LIVE_LOOKUP_MS = 30_000;

export class Registry {
  /** Called when a namespace starts terminating, so its content is deleted without waiting a tick. */
  onNamespaceTerminating: () => void = () => {};
  /** Namespaces this server marked terminating, until when their lookups go to etcd (ms). */
  private readonly liveLookupUntil = new Map<string, number>();

  constructor(
    readonly storage: EtcdStorage,
    readonly cache: WatchCache,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async get(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.storage.get(r, namespace, name);
    if (!obj) throw notFound(r, name);
    return finish(r, obj);
  }

  async list(
    r: ResourceType,
    opts: { namespace?: string; filter?: (o: KubeObject) => boolean; limit?: number; continueToken?: string },
  ): Promise<ListPage> {
    const page = await this.storage.list(r, opts);
    for (const o of page.items) finish(r, o);
    return page;
  }

  async create(r: ResourceType, namespace: string | undefined, body: KubeObject, o: WriteOptions = {}) {
    if (r.namespaced) {
      if (body.metadata.namespace && namespace && body.metadata.namespace !== namespace) {
        throw badRequest(
          "the namespace of the provided object does not match the namespace sent on the request",
        );
      }
      body.metadata.namespace = namespace ?? body.metadata.namespace;
      await this.checkNamespaceAcceptsContent(body.metadata.namespace!);
    } else {
      delete body.metadata.namespace;
    }
    if (!body.metadata.name && !body.metadata.generateName) {
      throw invalid(r, "", [
        { reason: "FieldValueRequired", message: "name or generateName is required", field: "metadata.name" },
      ]);
    }
    const obj = prepareForCreate(r, body, this.clock());
    applyDefaults(r.kind, obj);
    this.check(r, obj, validateCreate(r.kind, obj));
    if (o.dryRun) {
      // A dry run answers as the real create would, including AlreadyExists for a taken name.
      if (await this.storage.get(r, obj.metadata.namespace, obj.metadata.name!)) {
        throw alreadyExists(r, obj.metadata.name!);
      }
      return finish(r, obj);
    }
    return finish(r, await this.storage.create(r, obj, ttlFor(r)));
  }

  /** PUT of the main resource or of /status. A set metadata.resourceVersion is a precondition. */
  async update(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    o: WriteOptions & { subresource?: "status" } = {},
  ): Promise<KubeObject> {
    if (body.metadata.name && body.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const precondition = body.metadata.resourceVersion;
    return this.guaranteedUpdate(
      r,
      namespace,
      name,
      (cur) => {
        if (precondition) requireResourceVersion(r, name, precondition, cur);
        return { ...body, metadata: { ...body.metadata, namespace: cur.metadata.namespace } };
      },
      { ...o, retry: !precondition },
    );
  }

  /**
   * Reads the current object, applies `mutate` and writes the result if nothing changed in
   * between; on a concurrent change it reads again and retries (the apiserver's GuaranteedUpdate).
   * The mutation returns the desired object; server rules (strategy, defaults, validation) follow.
   * The first attempt starts from the watch cache's copy (no etcd read); a conflict or an apparent
   * no-op on that copy is checked again against etcd, so a stale copy only costs a retry.
   */
  async guaranteedUpdate(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    mutate: Mutation,
    o: WriteOptions & { subresource?: "status"; retry?: boolean; internal?: boolean } = {},
  ): Promise<KubeObject> {
    let cached = o.dryRun ? undefined : this.cache.for(r).get(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const fromCache = cached !== undefined;
      const cur = cached ?? (await this.storage.get(r, namespace, name));
      cached = undefined;
      if (!cur) throw notFound(r, name);
      let desired: KubeObject;
      try {
        desired = await mutate(structuredClone(cur));
      } catch (err) {
        if (fromCache && err instanceof ApiError && err.reason === "Conflict") continue;
        throw err;
      }
      let next: KubeObject;
      if (o.subresource === "status") {
        next = prepareForStatusUpdate(desired, cur);
      } else {
        next = prepareForUpdate(r, desired, cur);
        applyDefaults(r.kind, next);
      }
      next.apiVersion = cur.apiVersion;
      next.kind = cur.kind;
      // Internal writes (the server's own finalizers) are trusted and skip user-facing validation.
      if (!o.internal) {
        const validate = o.subresource === "status" ? validateStatusUpdate : validateUpdate;
        this.check(r, next, [...immutableMeta(next, cur), ...validate(r.kind, next, cur)]);
      }
      if (sameObject(next, cur)) {
        if (fromCache) continue;
        return finish(r, cur);
      }
      if (o.dryRun) return finish(r, next);
      try {
        const written = await this.storage.update(r, next, Number(cur.metadata.resourceVersion), {
          ttlSeconds: ttlFor(r),
        });
        return finish(r, await this.afterUpdate(r, written));
      } catch (err) {
        if (fromCache && err instanceof ApiError && err.reason === "Conflict") {
          attempt--;
          continue;
        }
        const retriable = err instanceof ApiError && err.reason === "Conflict" && o.retry !== false;
        if (!retriable || attempt >= MAX_CONFLICT_RETRIES) throw err;
      }
    }
  }

  /**
   * DELETE. Pods on a node are deleted gracefully (deletionTimestamp + grace period; the node agent
   * stops the containers and then deletes with grace 0). Objects with finalizers only get a
   * deletionTimestamp and go when the last finalizer is removed. Orphan and Foreground propagation
   * are finalizers the garbage collector acts on.
   */
  async delete(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions,
    o: WriteOptions = {},
  ): Promise<KubeObject> {
    if (r === NAMESPACES && UNDELETABLE_NAMESPACES.has(name)) {
      throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
    }
    for (let attempt = 0; ; attempt++) {
      const cur = await this.storage.get(r, namespace, name);
      if (!cur) throw notFound(r, name);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== cur.metadata.uid) {
        throw conflict(
          r,
          name,
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`,
        );
      }
      if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
        throw conflict(
          r,
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`,
        );
      }
      if (
        r === NAMESPACES &&
        ((cur.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length
      ) {
        // Namespaces empty themselves first (namespace-lifecycle.ts), then go.
        const marked = markTerminating(cur, nowRfc3339(this.clock()));
        if (o.dryRun || sameObject(marked, cur)) return finish(r, marked);
        try {
          const written = await this.storage.update(r, marked, Number(cur.metadata.resourceVersion));
          this.lookUpLive(name);
          this.onNamespaceTerminating();
          return finish(r, written);
        } catch (err) {
          if (err instanceof ApiError && err.reason === "Conflict" && attempt < MAX_CONFLICT_RETRIES)
            continue;
          throw err;
        }
      }
      const plan = planDelete(r, cur, opts, this.clock());
      try {
        if (plan.kind === "now") {
          if (o.dryRun) return finish(r, cur);
          return finish(r, await this.storage.delete(r, cur, Number(cur.metadata.resourceVersion)));
        }
        if (o.dryRun || sameObject(plan.object, cur)) return finish(r, plan.object);
        const written = await this.storage.update(r, plan.object, Number(cur.metadata.resourceVersion));
        return finish(r, written);
      } catch (err) {
        if (
          err instanceof ApiError &&
          err.reason === "Conflict" &&
          !pre?.resourceVersion &&
          attempt < MAX_CONFLICT_RETRIES
        ) {
          continue;
        }
        throw err;
      }
    }
  }

  /**
   * pods/binding: assigns a pod to a node, once. The scheduler's only write to a pod. The node
   * must exist (a node deleted between decision and bind makes the bind fail, so the scheduler retries).
   */
  async bind(namespace: string, name: string, node: string, o: WriteOptions = {}): Promise<KubeObject> {
    const pods = resourceFor("", "pods")!;
    const nodes = resourceFor("", "nodes")!;
    if (!this.cache.for(nodes).get(undefined, node) && !(await this.storage.get(nodes, undefined, node))) {
      throw new ApiError(404, "NotFound", `nodes "${node}" not found`, { name: node, kind: "nodes" });
    }
    // The cached pod saves a read; if it is stale the compare-and-swap fails and we read etcd.
    let cached = this.cache.for(pods).get(namespace, name);
    for (let attempt = 0; ; attempt++) {
      const cur = cached ?? (await this.storage.get(pods, namespace, name));
      cached = undefined;
      if (!cur) throw notFound(pods, name);
      const spec = (cur.spec ?? {}) as { nodeName?: string };
      if (spec.nodeName) {
        throw new ApiError(
          409,
          "Conflict",
          `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${spec.nodeName}"`,
          { name, kind: "pods/binding" },
        );
      }
      if (cur.metadata.deletionTimestamp) {
        throw new ApiError(
          409,
          "Conflict",
          `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is being deleted, cannot be assigned to a host`,
          { name, kind: "pods/binding" },
        );
      }
      const status = { ...((cur.status ?? {}) as { conditions?: { type: string }[] }) };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== "PodScheduled");
      conditions.push({
        type: "PodScheduled",
        status: "True",
        lastTransitionTime: nowRfc3339(this.clock()),
      } as { type: string });
      const next: KubeObject = {
        ...cur,
        spec: { ...spec, nodeName: node },
        status: { ...status, conditions },
      };
      if (o.dryRun) return finish(pods, next);
      try {
        // The node must still be there when the bind commits: the check above may have read a
        // cache that has not yet heard of its deletion.
        const written = await this.storage.update(pods, next, Number(cur.metadata.resourceVersion), {
          whileExists: { r: nodes, name: node },
        });
        return finish(pods, written);
      } catch (err) {
        if (!(err instanceof ApiError && err.reason === "Conflict") || attempt >= MAX_CONFLICT_RETRIES)
          throw err;
      }
    }
  }

  /** An update that leaves a deleted object without finalizers (and no grace left) removes it. */
  private async afterUpdate(r: ResourceType, obj: KubeObject): Promise<KubeObject> {
    const m = obj.metadata;
    const specFinalizers =
      r === NAMESPACES ? ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
    if (
      m.deletionTimestamp &&
      !m.finalizers?.length &&
      !specFinalizers.length &&
      !(m.deletionGracePeriodSeconds ?? 0)
    ) {
      try {
        return await this.storage.delete(r, obj, Number(m.resourceVersion));
      } catch (err) {
        if (err instanceof ApiError && (err.reason === "Conflict" || err.reason === "NotFound")) return obj;
        throw err;
      }
    }
    return obj;
  }

  private lookUpLive(ns: string): void {
    const now = this.clock().getTime();
    for (const [name, until] of this.liveLookupUntil) if (until <= now) this.liveLookupUntil.delete(name);
    this.liveLookupUntil.set(ns, now + LIVE_LOOKUP_MS);
  }

  private async checkNamespaceAcceptsContent(ns: string): Promise<void> {
    // The watch cache answers without a round trip to etcd; a namespace created a moment ago may
    // not be there yet, so a miss asks etcd (as Kubernetes' namespace lifecycle admission does),
    // and so does a namespace this server has just marked terminating (the cache may not know).
    const live = (this.liveLookupUntil.get(ns) ?? 0) > this.clock().getTime();
    const nsObj =
      (live ? undefined : this.cache.for(NAMESPACES).get(undefined, ns)) ??
      (await this.storage.get(NAMESPACES, undefined, ns));
    if (!nsObj)
      throw new ApiError(404, "NotFound", `namespaces "${ns}" not found`, { name: ns, kind: "namespaces" });
    if (nsObj.metadata.deletionTimestamp) {
      throw forbidden(`unable to create new content in namespace ${ns} because it is being terminated`);
    }
  }

  private check(
    r: ResourceType,
    obj: KubeObject,
    errors: { type: string; field: string; message: string }[],
  ) {
    if (errors.length === 0) return;
    const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
    throw invalid(r, obj.metadata.name ?? "", causes);
  }
}

/** Events expire an hour after their last update (kube-apiserver's default --event-ttl). */
export const EVENT_TTL_SECONDS = 3600;

function ttlFor(r: ResourceType): number | undefined {
  return r.kind === "Event" ? EVENT_TTL_SECONDS : undefined;
}

/** Sets apiVersion/kind, which are not trusted from storage or clients. */
function finish(r: ResourceType, obj: KubeObject): KubeObject {
  const apiVersion = apiVersionOf(r);
  if (obj.apiVersion !== apiVersion || obj.kind !== r.kind) {
    const { apiVersion: _a, kind: _k, ...rest } = obj;
    return { apiVersion, kind: r.kind, ...rest } as KubeObject;
  }
  return obj;
}

function immutableMeta(
  next: KubeObject,
  cur: KubeObject,
): { type: string; field: string; message: string }[] {
  const errs: { type: string; field: string; message: string }[] = [];
  if (next.metadata.uid !== cur.metadata.uid) {
    errs.push({
      type: "FieldValueInvalid",
      field: "metadata.uid",
      message: "Invalid value: field is immutable",
    });
  }
  return errs;
}

export type DeletePlan = { kind: "now" } | { kind: "mark"; object: KubeObject };

/** Decides how a DELETE proceeds: remove now, or mark (graceful pods, finalizers). Pure. */
export function planDelete(r: ResourceType, cur: KubeObject, opts: DeleteOptions, now: Date): DeletePlan {
  const finalizers = [...(cur.metadata.finalizers ?? [])];
  const policy = opts.propagationPolicy ?? (opts.orphanDependents ? "Orphan" : undefined);
  if (policy === "Orphan" && !finalizers.includes("orphan")) finalizers.push("orphan");
  if (policy === "Foreground" && !finalizers.includes("foregroundDeletion"))
    finalizers.push("foregroundDeletion");

  let grace = 0;
  if (r.kind === "Pod") {
    const spec = cur.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
    const phase = (cur.status as { phase?: string } | undefined)?.phase;
    grace = opts.gracePeriodSeconds ?? spec?.terminationGracePeriodSeconds ?? 30;
    // Never scheduled or already finished: nothing runs, so nothing to wait for.
    if (!spec?.nodeName || phase === "Succeeded" || phase === "Failed") grace = 0;
    if (grace < 0) grace = 0;
  }

  if (finalizers.length === 0 && grace === 0) {
    // A pod already terminating with grace gets removed when asked again with grace 0 (the node agent's last word).
    return { kind: "now" };
  }
  const meta = { ...cur.metadata, finalizers: finalizers.length ? finalizers : undefined };
  if (!meta.finalizers) delete meta.finalizers;
  const prevGrace = cur.metadata.deletionGracePeriodSeconds;
  if (cur.metadata.deletionTimestamp) {
    // Already terminating: a delete may only shorten the grace period.
    if (prevGrace !== undefined && grace < prevGrace) {
      meta.deletionGracePeriodSeconds = grace;
      meta.deletionTimestamp = nowRfc3339(new Date(now.getTime() + grace * 1000));
    }
  } else {
    meta.deletionTimestamp = nowRfc3339(new Date(now.getTime() + grace * 1000));
    meta.deletionGracePeriodSeconds = grace;
  }
  if (finalizers.length === 0 && (meta.deletionGracePeriodSeconds ?? 0) === 0) return { kind: "now" };
  return { kind: "mark", object: { ...cur, metadata: meta } };
}

export { hasStatusSubresource };
