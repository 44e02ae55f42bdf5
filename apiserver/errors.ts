// Every failure that reaches a client leaves as a Kubernetes Status object, through statusFor().
// Handlers throw ApiError for expected outcomes (not found, conflict, invalid); anything else is a
// bug or a transient failure and becomes a 500 (or a 503 while etcd is unreachable).

import type { KubeObject, Status, StatusCause, StatusReason } from "../api/meta.js";
import { qualifiedResource, type ResourceType } from "../api/resources.js";
import { statusObject } from "../api/status.js";

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: Status["details"],
  ) {
    super(message);
  }
}

/** Raised by storage when etcd cannot be reached: the request fails fast with 503. */
export class StorageUnavailableError extends Error {}

export function notFound(r: ResourceType, name: string): ApiError {
  return new ApiError(404, "NotFound", `${qualifiedResource(r)} "${name}" not found`, {
    name,
    group: r.group || undefined,
    kind: r.plural,
  });
}

export function alreadyExists(r: ResourceType, name: string): ApiError {
  return new ApiError(409, "AlreadyExists", `${qualifiedResource(r)} "${name}" already exists`, {
    name,
    group: r.group || undefined,
    kind: r.plural,
  });
}

export function conflict(r: ResourceType, name: string, why?: string): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(r)} "${name}": ${
      why ?? "the object has been modified; please apply your changes to the latest version and try again"
    }`,
    { name, group: r.group || undefined, kind: r.plural },
  );
}

/** A write that names the resourceVersion it read is refused when the object has moved on since. */
export function requireResourceVersion(
  r: ResourceType,
  name: string,
  expected: string,
  cur: KubeObject,
): void {
  if (expected !== cur.metadata.resourceVersion) throw conflict(r, name);
}

/** 422 Invalid: kubectl builds its message from details.kind/name and the causes, so always send both. */
export function invalid(
  r: Pick<ResourceType, "kind" | "group">,
  name: string,
  causes: StatusCause[],
): ApiError {
  const text = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : (c.message ?? ""))).join(", ");
  const what = r.group ? `${r.kind}.${r.group}` : r.kind;
  return new ApiError(422, "Invalid", `${what} "${name}" is invalid: ${text}`, {
    name,
    group: r.group || undefined,
    kind: r.kind,
    causes,
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

export function methodNotAllowed(message: string): ApiError {
  return new ApiError(405, "MethodNotAllowed", message);
}

export function forbidden(message: string): ApiError {
  return new ApiError(403, "Forbidden", message);
}

// Status objects are built by api/ (statusObject), so every component sends the same shape.
export { statusObject };

function formatBytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} bytes`;
}

/** The one mapper from a thrown value to the Status a client sees. */
export function statusFor(err: unknown): Status {
  if (err instanceof ApiError) return statusObject(err.code, err.reason, err.message, err.details);
  if (err instanceof StorageUnavailableError) {
    return statusObject(503, "ServiceUnavailable", `storage is unavailable: ${err.message}; retry shortly`);
  }
  const e = err as { type?: string; status?: number; message?: string; limit?: number };
  // Errors raised by the body readers (read-body.ts and express' body parser).
  if (e?.type === "entity.too.large") {
    const limit = e.limit === undefined ? "" : ` (limit ${formatBytes(e.limit)})`;
    return statusObject(413, "RequestEntityTooLarge", `the request body is too large${limit}`);
  }
  if (e?.status === 400 && e.type) return statusObject(400, "BadRequest", e.message ?? "bad request");
  const message = err instanceof Error ? err.message : String(err);
  return statusObject(500, "InternalError", `an internal error occurred: ${message}`);
}
