// Request bodies: JSON (also YAML, which kubectl sends for server-side apply), protobuf from
// kubectl's typed clients, and field validation (Strict rejects unknown fields, Warn accepts them
// with a Warning header each, Ignore drops them silently).

import { checkAgainstSchema, findDuplicateKeys, parseYaml } from "../api/index.js";
import type { KubeObject } from "../api/meta.js";
import { apiVersionOf, type ResourceType } from "../api/resources.js";
import { ApiError, badRequest } from "./errors.js";
import { decodeProtobufBody, PROTOBUF_CONTENT_TYPE, ProtobufDecodeError } from "./protobuf/index.js";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export function fieldValidationMode(q: URLSearchParams): FieldValidation {
  const v = q.get("fieldValidation");
  if (v === null || v === "") return "Strict"; // k8ts default: an unknown field is an error, never dropped
  if (v === "Strict" || v === "Warn" || v === "Ignore") return v;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got "${v}"`);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "application/json").split(";")[0]!.trim().toLowerCase();
}

/** Parses raw bytes as JSON or YAML (one document); a clear 400 when malformed. */
export function parseDocument(raw: Buffer, type: string): unknown {
  return parseText(raw.toString("utf8"), type);
}

function parseText(text: string, type: string): unknown {
  if (text.trim() === "") throw badRequest("the request body is empty: send a JSON object");
  try {
    if (type.includes("yaml")) return parseYaml(text, { uniqueKeys: true });
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(
      `the request body is not valid ${type.includes("yaml") ? "YAML" : "JSON"}: ${(err as Error).message}`,
    );
  }
}

export interface DecodedObject {
  object: KubeObject;
  warnings: string[];
}

/** Decodes a create/update body for resource `r`, checking kind, apiVersion and fields. */
export function decodeObject(
  raw: Buffer | undefined,
  contentType: string | undefined,
  r: ResourceType,
  mode: FieldValidation,
  expect: { kind: string; apiVersion: string } = { kind: r.kind, apiVersion: apiVersionOf(r) },
  schema = r.schema,
): DecodedObject {
  if (!raw || raw.length === 0) throw badRequest("the request body is empty: send the object as JSON");
  const type = mediaType(contentType);
  let value: unknown;
  if (type === PROTOBUF_CONTENT_TYPE) {
    try {
      value = decodeProtobufBody(raw).object;
    } catch (err) {
      if (err instanceof ProtobufDecodeError) throw badRequest(err.message);
      throw err;
    }
  } else if (type === "application/json" || type === "application/yaml" || type === "*/*") {
    const text = raw.toString("utf8");
    value = parseText(text, type);
    if (mode === "Strict" && type === "application/json") {
      // JSON.parse keeps the last of duplicate keys silently; strict decoding refuses them.
      const dups = findDuplicateKeys(text);
      if (dups.length) {
        throw badRequest(
          `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: strict decoding error: ${dups.join(", ")}`,
        );
      }
    }
  } else {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  return checkObject(value, r, mode, expect, schema);
}

export function checkObject(
  value: unknown,
  r: ResourceType,
  mode: FieldValidation,
  expect: { kind: string; apiVersion: string } = { kind: r.kind, apiVersion: apiVersionOf(r) },
  schema = r.schema,
): DecodedObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest(
      `the request body must be a JSON object (a ${expect.kind}), not ${Array.isArray(value) ? "an array" : typeof value}`,
    );
  }
  const obj = value as KubeObject;
  const what = `${expect.kind} in version "${expect.apiVersion.split("/").pop()}" cannot be handled as a ${expect.kind}`;
  if (obj.kind !== undefined && obj.kind !== expect.kind) {
    throw badRequest(
      `${what}: the kind in the body (${String(obj.kind)}) does not match the resource (${expect.kind})`,
    );
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expect.apiVersion) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expect.apiVersion})`,
    );
  }
  if (obj.metadata === undefined) obj.metadata = {};
  if (obj.metadata === null || typeof obj.metadata !== "object")
    throw badRequest(`${what}: metadata must be an object`);
  const problems = checkAgainstSchema(schema, obj, { prune: mode !== "Strict" });
  const typeErrors = problems.filter((p) => p.kind === "type");
  if (typeErrors.length) throw badRequest(`${what}: ${typeErrors.map((p) => p.message).join(", ")}`);
  const unknown = problems.filter((p) => p.kind === "unknown");
  if (unknown.length && mode === "Strict") {
    throw badRequest(`${what}: strict decoding error: ${unknown.map((p) => p.message).join(", ")}`);
  }
  return { object: obj, warnings: mode === "Warn" ? unknown.map((p) => p.message) : [] };
}
