// Turns a request path into what it addresses: resource, namespace, name, subresource, verb.
// Paths follow Kubernetes: /api/v1/... for the core group, /apis/<group>/<version>/... for others;
// namespaced resources under /namespaces/<ns>/<plural>, cluster-wide lists at /<plural>.

import { type ResourceType, resourceFor } from "../api/resources.js";
import { ApiError } from "./errors.js";

export type Verb =
  | "get"
  | "list"
  | "watch"
  | "create"
  | "update"
  | "patch"
  | "delete"
  | "deletecollection"
  | "connect";

export interface RequestInfo {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  verb: Verb;
}

const NAMESPACE_SUBRESOURCES = new Set(["status", "finalize"]);

/** Parses the part after /api/ or /apis/. Returns undefined when the path is not a resource path. */
export function parseResourcePath(
  method: string,
  pathname: string,
  query: URLSearchParams,
): RequestInfo | undefined {
  const segs = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (segs[0] === "api" && segs[1] === "v1") {
    group = "";
    rest = segs.slice(2);
  } else if (segs[0] === "apis" && segs.length >= 3) {
    group = segs[1]!;
    const version = segs[2]!;
    rest = segs.slice(3);
    if (version !== "v1") return undefined;
  } else {
    return undefined;
  }
  if (rest.length === 0) return undefined;

  let namespace: string | undefined;
  let plural: string;
  let name: string | undefined;
  let subresource: string | undefined;
  if (
    rest[0] === "namespaces" &&
    rest.length >= 3 &&
    !(rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]!))
  ) {
    namespace = rest[1];
    plural = rest[2]!;
    name = rest[3];
    subresource = rest[4];
    if (rest.length > 5) return undefined;
  } else {
    plural = rest[0]!;
    name = rest[1];
    subresource = rest[2];
    if (rest.length > 3) return undefined;
  }
  const resource = resourceFor(group, plural);
  if (!resource) return undefined;
  if (!resource.namespaced && namespace !== undefined) return undefined;
  if (subresource && !(resource.subresources as readonly string[]).includes(subresource)) {
    return undefined;
  }

  const watch = query.get("watch") === "true" || query.get("watch") === "1";
  let verb: Verb;
  switch (method) {
    case "GET":
    case "HEAD":
      if (subresource === "exec" || subresource === "attach") verb = "connect";
      else verb = name ? "get" : watch ? "watch" : "list";
      break;
    case "POST":
      if (name && !subresource)
        throw notAllowed(method, `${plural}/${name}`, "POST to the collection to create");
      verb = subresource === "exec" || subresource === "attach" ? "connect" : "create";
      break;
    case "PUT":
      if (!name) throw notAllowed(method, plural, "PUT to an object's path to replace it");
      verb = "update";
      break;
    case "PATCH":
      if (!name) throw notAllowed(method, plural, "PATCH an object's path");
      verb = "patch";
      break;
    case "DELETE":
      verb = name ? "delete" : "deletecollection";
      break;
    default:
      throw new ApiError(405, "MethodNotAllowed", `the server does not allow the method ${method} here`);
  }
  return { resource, namespace, name, subresource, verb };
}

function notAllowed(method: string, what: string, hint: string): ApiError {
  return new ApiError(405, "MethodNotAllowed", `the server does not allow ${method} on ${what}: ${hint}`);
}
