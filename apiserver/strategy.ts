// What the server decides about an object on create and update, per resource (Kubernetes'
// "strategy" of each registry): server-set metadata, which part of the object a write may change
// (the main resource never changes status, the status subresource never changes anything else),
// and when metadata.generation moves (every change of the desired state, and only then).
// Pure functions: they take the incoming and stored objects and return the object to store.

import { randomBytes, randomUUID } from "node:crypto";
import type { KubeObject, ObjectMeta } from "../api/meta.js";
import type { ResourceType } from "../api/resources.js";

/** Resources whose status is written only through /status (so PUT of the object keeps the old one). */
export function hasStatusSubresource(r: ResourceType): boolean {
  return r.subresources.includes("status");
}

/** Resources that track metadata.generation (their spec is desired state that controllers observe). */
export function tracksGeneration(r: ResourceType): boolean {
  return r.kind === "Deployment" || r.kind === "ReplicaSet" || r.kind === "Pod";
}

export function nowRfc3339(now: Date = new Date()): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

const NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** generateName + 5 characters from Kubernetes' alphabet (no vowels, so no accidental words). */
export function generateName(base: string): string {
  const bytes = randomBytes(5);
  let out = base.length > 58 ? base.slice(0, 58) : base;
  for (const b of bytes) out += NAME_SUFFIX_ALPHABET[b % NAME_SUFFIX_ALPHABET.length];
  return out;
}

/** The object as it will be stored on create (before defaulting and validation). */
export function prepareForCreate(r: ResourceType, obj: KubeObject, now: Date): KubeObject {
  // Left out by destructuring, not `delete`: a deleted property turns the object into a slow
  // dictionary for everything that reads or serializes it afterwards.
  const {
    resourceVersion: _rv,
    deletionTimestamp: _dt,
    deletionGracePeriodSeconds: _dg,
    selfLink: _sl,
    generation: _g,
    ...kept
  } = obj.metadata;
  const meta: ObjectMeta = kept;
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  meta.uid = randomUUID();
  meta.creationTimestamp = nowRfc3339(now);
  if (tracksGeneration(r)) meta.generation = 1;
  const out: KubeObject = { ...obj, metadata: meta };
  switch (r.kind) {
    case "Pod":
      out.status = { phase: "Pending", ...podQos(out) };
      break;
    case "Deployment":
    case "ReplicaSet":
      out.status = {};
      break;
    case "Namespace":
      out.status = { phase: "Active" };
      break;
  }
  return out;
}

/**
 * The object as it will be stored on update of the main resource: server-owned metadata comes
 * from the stored object, status is kept when the resource has a status subresource, and the
 * generation moves when anything but metadata and status changed.
 */
export function prepareForUpdate(r: ResourceType, obj: KubeObject, old: KubeObject): KubeObject {
  const meta: ObjectMeta = {
    ...obj.metadata,
    name: old.metadata.name,
    namespace: old.metadata.namespace,
    uid: old.metadata.uid,
    creationTimestamp: old.metadata.creationTimestamp,
    deletionTimestamp: old.metadata.deletionTimestamp,
    deletionGracePeriodSeconds: old.metadata.deletionGracePeriodSeconds,
    generation: old.metadata.generation,
  };
  dropUndefined(meta);
  const out: KubeObject = { ...obj, metadata: meta };
  if (hasStatusSubresource(r)) {
    if (old.status === undefined) delete out.status;
    else out.status = old.status;
  }
  if (tracksGeneration(r) && !sameDesiredState(out, old))
    meta.generation = (old.metadata.generation ?? 0) + 1;
  return out;
}

/** A write to /status: only status changes; everything else is the stored object's. */
export function prepareForStatusUpdate(obj: KubeObject, old: KubeObject): KubeObject {
  const out: KubeObject = { ...old, metadata: { ...old.metadata } };
  if (obj.status === undefined) delete out.status;
  else out.status = obj.status;
  return out;
}

/** Everything except metadata and status: what a spec change is. */
export function sameDesiredState(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  };
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

/** Same stored bytes apart from resourceVersion: such a write is a no-op (no new revision, no event). */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) => {
    if (val && typeof val === "object" && !Array.isArray(val)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(val).sort()) sorted[k] = (val as Record<string, unknown>)[k];
      return sorted;
    }
    return val;
  });
}

function dropUndefined(o: object): void {
  const rec = o as Record<string, unknown>;
  for (const k of Object.keys(rec)) if (rec[k] === undefined) delete rec[k];
}

interface ContainerLike {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

/** Pod QoS class (Guaranteed / Burstable / BestEffort), as Kubernetes derives it from requests and limits. */
function podQos(pod: KubeObject): { qosClass?: string } {
  const spec = pod.spec as { containers?: ContainerLike[]; initContainers?: ContainerLike[] } | undefined;
  const all = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  if (all.length === 0) return {};
  let anySet = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) anySet = true;
    for (const res of ["cpu", "memory"]) {
      if (lim[res] === undefined) guaranteed = false;
      else if (req[res] !== undefined && String(req[res]) !== String(lim[res])) guaranteed = false;
    }
  }
  if (!anySet) return { qosClass: "BestEffort" };
  return { qosClass: guaranteed ? "Guaranteed" : "Burstable" };
}
