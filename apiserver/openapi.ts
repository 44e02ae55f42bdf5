// OpenAPI v3 (`GET /openapi/v3` and `GET /openapi/v3/<group-version path>`), generated from the
// resource registry and the schema catalog.
//
// Why it matters: before `kubectl apply|create|replace -f` sends anything it decides whether the
// server validates fields itself. It fetches the document of the object's group-version and looks for
// a PATCH operation tagged with the object's `x-kubernetes-group-version-kind` that takes the
// `fieldValidation` query parameter (cli-runtime's query_param_verifier_v3). Found: it trusts the
// server and sends `fieldValidation=Strict`. Not found: it falls back to client-side validation
// against /openapi/v2, which this server does not serve, and the command fails. kubectl checks the
// first matching PATCH it meets in an unordered map, so every PATCH of a kind (the object and its
// status) carries the parameter.
//
// The schemas under components.schemas follow kube-openapi's shapes (structs as objects with
// properties, `$ref` to `#/components/schemas/<name>`, the strategic-merge-patch extensions on
// lists, `x-kubernetes-group-version-kind` on top-level kinds), so `kubectl explain` can read them.
//
// Each document is immutable for the life of the process: the index links to it with
// `?hash=<sha512 of its JSON>`, which clients may cache forever.

import { createHash } from "node:crypto";
import protobuf from "protobufjs/minimal.js";
import { CATALOG } from "../api/catalog/index.js";
import { RESOURCES, type ResourceType, type Subresource } from "../api/resources.js";
import type { FieldSchema, SchemaCatalog, StructSchema } from "../api/schema.js";
import {
  type GroupVersionKind,
  groupVersions,
  KUBERNETES_VERSION,
  resourcesOf,
  SUBRESOURCES,
  subresourceKind,
  verbsOf,
} from "./discovery.js";

type Json = Record<string, unknown>;

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const STATUS_SCHEMA = `${META}.Status`;
const DELETE_OPTIONS_SCHEMA = `${META}.DeleteOptions`;
const PATCH_SCHEMA = `${META}.Patch`;
const LIST_META_SCHEMA = `${META}.ListMeta`;
const INT_OR_STRING_SCHEMA = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY_SCHEMA = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/** "api/v1", "apis/apps/v1": how the OpenAPI v3 index names a group-version. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** The definition name kube-openapi gives a built-in kind: io.k8s.api.<first group label or core>.<version>.<Kind>. */
export function schemaNameOf(gvk: GroupVersionKind): string {
  return `io.k8s.api.${gvk.group.split(".")[0] || "core"}.${gvk.version}.${gvk.kind}`;
}

function listSchemaName(r: ResourceType): string {
  return `${r.schema.slice(0, r.schema.lastIndexOf(".") + 1)}${r.listKind}`;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

// ---- parameters (names and meaning as kube-apiserver documents them) ----

function param(
  name: string,
  where: "query" | "path",
  type: "string" | "integer" | "boolean" = "string",
): Json {
  return {
    name,
    in: where,
    ...(where === "path" ? { required: true } : {}),
    schema: { type, uniqueItems: true },
  };
}

const P = {
  name: param("name", "path"),
  namespace: param("namespace", "path"),
  pretty: param("pretty", "query"),
  dryRun: param("dryRun", "query"),
  fieldManager: param("fieldManager", "query"),
  fieldValidation: param("fieldValidation", "query"),
  force: param("force", "query", "boolean"),
  gracePeriodSeconds: param("gracePeriodSeconds", "query", "integer"),
  propagationPolicy: param("propagationPolicy", "query"),
  orphanDependents: param("orphanDependents", "query", "boolean"),
};

const LIST_PARAMS = [
  param("allowWatchBookmarks", "query", "boolean"),
  param("continue", "query"),
  param("fieldSelector", "query"),
  param("labelSelector", "query"),
  param("limit", "query", "integer"),
  param("resourceVersion", "query"),
  param("resourceVersionMatch", "query"),
  param("sendInitialEvents", "query", "boolean"),
  param("timeoutSeconds", "query", "integer"),
  param("watch", "query", "boolean"),
];

const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy];

const flags = (...names: string[]) => names.map((n) => param(n, "query", "boolean"));
const ints = (...names: string[]) => names.map((n) => param(n, "query", "integer"));

const SUBRESOURCE_QUERY: Partial<Record<Subresource, Json[]>> = {
  log: [
    param("container", "query"),
    ...flags("follow", "insecureSkipTLSVerifyBackend", "previous", "timestamps"),
    ...ints("limitBytes", "sinceSeconds", "tailLines"),
  ],
  exec: [
    param("command", "query"),
    param("container", "query"),
    ...flags("stderr", "stdin", "stdout", "tty"),
  ],
  attach: [param("container", "query"), ...flags("stderr", "stdin", "stdout", "tty")],
};

// ---- operations ----

const JSON_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
const PATCH_TYPES = [
  "application/apply-patch+yaml",
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
];

function content(types: readonly string[], schema: Json): Json {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

function responses(codes: readonly string[], schema: Json): Json {
  const out: Json = {};
  for (const code of codes) {
    const description = code === "200" ? "OK" : code === "201" ? "Created" : "Accepted";
    out[code] = { description, content: content(JSON_TYPES, schema) };
  }
  out["401"] = { description: "Unauthorized" };
  return out;
}

/** operationId as kube-openapi spells it: listCoreV1NamespacedPod, patchAppsV1NamespacedDeploymentScale. */
function operationId(
  verb: string,
  r: ResourceType,
  opts: { all?: boolean; sub?: string; collection?: boolean },
): string {
  const group = (r.group.split(".")[0] || "core").replace(/^./, (c) => c.toUpperCase());
  const version = r.version.replace(/^./, (c) => c.toUpperCase());
  const scope = r.namespaced && !opts.all ? "Namespaced" : "";
  const collection = opts.collection ? "Collection" : "";
  const sub = opts.sub ? opts.sub.replace(/^./, (c) => c.toUpperCase()) : "";
  const all = opts.all ? "ForAllNamespaces" : "";
  return `${verb}${group}${version}${collection}${scope}${r.kind}${sub}${all}`;
}

interface OpSpec {
  id: string;
  action: string;
  gvk: GroupVersionKind;
  params?: Json[];
  body?: Json;
  response: Json;
  codes: readonly string[];
}

function operation(spec: OpSpec): Json {
  return {
    tags: [],
    operationId: spec.id,
    ...(spec.params?.length ? { parameters: spec.params } : {}),
    ...(spec.body ? { requestBody: spec.body } : {}),
    responses: responses(spec.codes, spec.response),
    "x-kubernetes-action": spec.action,
    "x-kubernetes-group-version-kind": {
      group: spec.gvk.group,
      version: spec.gvk.version,
      kind: spec.gvk.kind,
    },
  };
}

const objectBody = (schema: string): Json => ({ content: content(JSON_TYPES, ref(schema)), required: true });
const patchBody: Json = { content: content(PATCH_TYPES, ref(PATCH_SCHEMA)), required: true };
const deleteBody: Json = { content: content(JSON_TYPES, ref(DELETE_OPTIONS_SCHEMA)) };

/** The path items of one resource: its collection, its items, its subresources, and the all-namespaces list. */
function resourcePaths(r: ResourceType): Record<string, Json> {
  const gvk: GroupVersionKind = { group: r.group, version: r.version, kind: r.kind };
  const base = `/${groupVersionPath(r.group, r.version)}`;
  const scoped = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
  const scopeParams = r.namespaced ? [P.namespace, P.pretty] : [P.pretty];
  const verbs = new Set<string>(verbsOf(r));
  const paths: Record<string, Json> = {};

  const collection: Json = { parameters: scopeParams };
  collection.get = operation({
    id: operationId("list", r, {}),
    action: "list",
    gvk,
    params: LIST_PARAMS,
    response: ref(listSchemaName(r)),
    codes: ["200"],
  });
  collection.post = objectOperation("post", r, gvk, r.schema);
  if (verbs.has("deletecollection")) {
    collection.delete = operation({
      id: operationId("delete", r, { collection: true }),
      action: "deletecollection",
      gvk,
      params: [...DELETE_PARAMS, ...LIST_PARAMS],
      body: deleteBody,
      response: ref(STATUS_SCHEMA),
      codes: ["200"],
    });
  }
  paths[scoped] = collection;

  paths[`${scoped}/{name}`] = {
    parameters: [P.name, ...scopeParams],
    get: objectOperation("get", r, gvk, r.schema),
    put: objectOperation("put", r, gvk, r.schema),
    patch: objectOperation("patch", r, gvk, r.schema),
    delete: operation({
      id: operationId("delete", r, {}),
      action: "delete",
      gvk,
      params: DELETE_PARAMS,
      body: deleteBody,
      response: ref(r.schema),
      codes: ["200", "202"],
    }),
  };

  for (const sub of r.subresources)
    paths[`${scoped}/{name}/${sub}`] = subresourcePath(r, sub, [P.name, ...scopeParams]);

  if (r.namespaced) {
    paths[`${base}/${r.plural}`] = {
      parameters: [P.pretty],
      get: operation({
        id: operationId("list", r, { all: true }),
        action: "list",
        gvk,
        params: LIST_PARAMS,
        response: ref(listSchemaName(r)),
        codes: ["200"],
      }),
    };
  }
  return paths;
}

/** How each discovery verb of an object (or its status, scale, eviction) is served, kube-apiserver's operation names. */
const OBJECT_OPERATIONS = {
  get: { method: "get", verb: "read", action: "get", codes: ["200"] },
  update: { method: "put", verb: "replace", action: "put", codes: ["200", "201"] },
  patch: { method: "patch", verb: "patch", action: "patch", codes: ["200", "201"] },
  create: { method: "post", verb: "create", action: "post", codes: ["200", "201", "202"] },
} as const;

type ObjectVerb = keyof typeof OBJECT_OPERATIONS;
type Method = (typeof OBJECT_OPERATIONS)[ObjectVerb]["method"];

function objectOperation(
  method: Method,
  r: ResourceType,
  gvk: GroupVersionKind,
  schema: string,
  sub?: string,
): Json {
  const spec = Object.values(OBJECT_OPERATIONS).find((o) => o.method === method) ?? OBJECT_OPERATIONS.get;
  const params = method === "get" ? [] : method === "patch" ? [...WRITE_PARAMS, P.force] : WRITE_PARAMS;
  const body = method === "get" ? undefined : method === "patch" ? patchBody : objectBody(schema);
  return operation({
    id: operationId(spec.verb, r, sub ? { sub } : {}),
    action: spec.action,
    gvk,
    params,
    ...(body ? { body } : {}),
    response: ref(schema),
    codes: spec.codes,
  });
}

/**
 * A subresource's path item: status and scale are read and written like objects, eviction and
 * binding are created; log is read as text; exec and attach "connect" (a stream upgrade) by GET or POST.
 */
function subresourcePath(r: ResourceType, sub: Subresource, parameters: Json[]): Json {
  const gvk = subresourceKind(r, sub);
  const item: Json = { parameters };
  const text: Json = { type: "string" };
  const query = SUBRESOURCE_QUERY[sub] ?? [];
  for (const verb of SUBRESOURCES[sub].verbs) {
    const method = OBJECT_OPERATIONS[verb as ObjectVerb]?.method;
    if (!method) continue;
    if (sub === "exec" || sub === "attach") {
      const connect = method === "post" ? "connectPost" : "connectGet";
      item[method] = operation({
        id: operationId(connect, r, { sub }),
        action: "connect",
        gvk,
        params: query,
        response: text,
        codes: ["200"],
      });
    } else if (sub === "log") {
      item.get = operation({
        id: operationId("read", r, { sub }),
        action: "get",
        gvk,
        params: query,
        response: text,
        codes: ["200"],
      });
    } else {
      item[method] = objectOperation(method, r, gvk, schemaNameOf(gvk), sub);
    }
  }
  return item;
}

// ---- schemas ----

function fieldSchema(f: FieldSchema): Json {
  switch (f.type) {
    case "string":
      return {
        type: "string",
        ...(f.format ? { format: f.format } : {}),
        ...(f.enum ? { enum: [...f.enum] } : {}),
      };
    case "integer":
      return { type: "integer", format: "int64" };
    case "number":
      return { type: "number", format: "double" };
    case "boolean":
      return { type: "boolean" };
    case "int-or-string":
      return ref(INT_OR_STRING_SCHEMA);
    case "quantity":
      return ref(QUANTITY_SCHEMA);
    case "object":
      // A $ref's siblings are ignored in OpenAPI 3.0, so extensions go beside an allOf, as kube-openapi does.
      return f.patchStrategy
        ? { allOf: [ref(f.ref)], "x-kubernetes-patch-strategy": f.patchStrategy }
        : ref(f.ref);
    case "map":
      return { type: "object", additionalProperties: fieldSchema(f.values) };
    case "array":
      return {
        type: "array",
        items: fieldSchema(f.items),
        ...(f.patchMergeKey ? { "x-kubernetes-patch-merge-key": f.patchMergeKey } : {}),
        ...(f.patchStrategy ? { "x-kubernetes-patch-strategy": f.patchStrategy } : {}),
      };
    case "any":
      return { "x-kubernetes-preserve-unknown-fields": true };
  }
}

function structSchema(s: StructSchema, gvks: GroupVersionKind[]): Json {
  const properties: Json = {};
  for (const name of Object.keys(s.fields).sort())
    properties[name] = fieldSchema(s.fields[name] as FieldSchema);
  return {
    type: "object",
    properties,
    ...(s.required?.length ? { required: [...s.required] } : {}),
    ...(gvks.length
      ? {
          "x-kubernetes-group-version-kind": gvks.map((g) => ({
            group: g.group,
            kind: g.kind,
            version: g.version,
          })),
        }
      : {}),
  };
}

/** Schemas the catalog may not hold but every document refers to (apimachinery's own types). */
function builtinSchemas(): Record<string, Json> {
  return {
    [INT_OR_STRING_SCHEMA]: { type: "string", format: "int-or-string" },
    [QUANTITY_SCHEMA]: { type: "string" },
    [PATCH_SCHEMA]: { type: "object" },
    [STATUS_SCHEMA]: {
      type: "object",
      properties: {
        apiVersion: { type: "string" },
        kind: { type: "string" },
        metadata: ref(LIST_META_SCHEMA),
        status: { type: "string" },
        message: { type: "string" },
        reason: { type: "string" },
        details: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        code: { type: "integer", format: "int32" },
      },
      "x-kubernetes-group-version-kind": [{ group: "", kind: "Status", version: "v1" }],
    },
  };
}

function refsOf(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) refsOf(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.add(v.slice("#/components/schemas/".length));
      else refsOf(v, out);
    }
  }
}

/**
 * The schemas one document needs: everything its paths refer to, transitively. A name the catalog
 * does not describe is still defined (as an open object), so no `$ref` dangles.
 */
function componentSchemas(paths: Json, resources: readonly ResourceType[], catalog: SchemaCatalog): Json {
  const kinds = new Map<string, GroupVersionKind[]>();
  const addKind = (name: string, gvk: GroupVersionKind) => kinds.set(name, [...(kinds.get(name) ?? []), gvk]);
  for (const r of RESOURCES) {
    addKind(r.schema, { group: r.group, version: r.version, kind: r.kind });
    addKind(listSchemaName(r), { group: r.group, version: r.version, kind: r.listKind });
    for (const sub of r.subresources) {
      const gvk = subresourceKind(r, sub);
      if (gvk.kind !== r.kind && !kinds.has(schemaNameOf(gvk))) addKind(schemaNameOf(gvk), gvk);
    }
  }
  const lists = new Map(resources.map((r) => [listSchemaName(r), r]));
  const builtins = builtinSchemas();
  const out: Record<string, Json> = {};
  const pending = new Set<string>();
  refsOf(paths, pending);
  while (pending.size) {
    const name = pending.values().next().value as string;
    pending.delete(name);
    if (name in out) continue;
    const s = catalog.get(name);
    const list = lists.get(name);
    let schema: Json;
    if (s) schema = structSchema(s, kinds.get(name) ?? []);
    else if (builtins[name]) schema = builtins[name] as Json;
    else if (list) {
      schema = {
        type: "object",
        properties: {
          apiVersion: { type: "string" },
          items: { type: "array", items: ref(list.schema) },
          kind: { type: "string" },
          metadata: ref(LIST_META_SCHEMA),
        },
        required: ["items"],
        "x-kubernetes-group-version-kind": kinds.get(name) ?? [],
      };
    } else {
      schema = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
      const gvks = kinds.get(name);
      if (gvks) schema["x-kubernetes-group-version-kind"] = gvks;
    }
    out[name] = schema;
    const more = new Set<string>();
    refsOf(schema, more);
    for (const m of more) if (!(m in out)) pending.add(m);
  }
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, out[k]]),
  );
}

/** The OpenAPI v3 document of one group-version. */
export function buildOpenApiDocument(group: string, version: string, catalog: SchemaCatalog): Json {
  const resources = resourcesOf(group, version);
  const paths: Json = {};
  for (const r of resources) Object.assign(paths, resourcePaths(r));
  const sortedPaths = Object.fromEntries(
    Object.keys(paths)
      .sort()
      .map((k) => [k, paths[k]]),
  );
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: KUBERNETES_VERSION.gitVersion },
    paths: sortedPaths,
    components: { schemas: componentSchemas(sortedPaths, resources, catalog) },
  };
}

/** A content hash in kube-apiserver's form: upper-case hex SHA-512 of the served bytes. */
export function contentHash(doc: unknown): string {
  return createHash("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase();
}

interface Built {
  docs: Map<string, { doc: Json; hash: string }>;
}

let built: Built | undefined;

/** Builds every document once; the registry and catalog do not change while the process runs. */
function documents(): Built {
  if (!built) {
    const docs = new Map<string, { doc: Json; hash: string }>();
    for (const g of groupVersions()) {
      for (const v of g.versions) {
        const doc = buildOpenApiDocument(g.group, v, CATALOG);
        docs.set(groupVersionPath(g.group, v), { doc, hash: contentHash(doc) });
      }
    }
    built = { docs };
  }
  return built;
}

/** `GET /openapi/v3`: one entry per served group-version, linking to its document by content hash. */
export function openapiV3Index(): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, { hash }] of documents().docs) {
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

/** `GET /openapi/v3/<path>` ("api/v1", "apis/apps/v1"), or undefined for a group-version not served. */
export function openapiV3Document(groupVersionPath: string): object | undefined {
  return documents().docs.get(groupVersionPath.replace(/^\/+|\/+$/g, ""))?.doc;
}

/** The hash of a served document, for an ETag and to tell a current `?hash=` from a stale one. */
export function openapiV3Hash(groupVersionPath: string): string | undefined {
  return documents().docs.get(groupVersionPath.replace(/^\/+|\/+$/g, ""))?.hash;
}

// ---- OpenAPI v2 (swagger 2.0), for kubectl before 1.29 ----
//
// kubectl 1.27 and 1.28 ask the fieldValidation question of `GET /openapi/v2` instead, and only in
// protobuf (gnostic's openapi_v2.Document, Accept `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`).
// Without it `kubectl apply -f` fails. The v2 document here holds the paths only: operations with
// their parameters and x-kubernetes extensions. It has no definitions on purpose: kubectl then finds
// no model for a kind and computes strategic merge patches from its compiled-in types, as it does
// when /openapi/v2 is missing.

/** kube-openapi answers with this spelling: the `@` of the one kubectl asks for is not a valid media-type character. */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

const OPERATION_METHODS = ["get", "put", "post", "delete", "patch"] as const;

function v2Parameter(p: Json): Json {
  const schema = (p.schema ?? {}) as Json;
  return {
    name: p.name,
    in: p.in,
    ...(p.required ? { required: true } : {}),
    type: schema.type,
    uniqueItems: true,
  };
}

function v2Operation(op: Json): Json {
  const out: Json = { operationId: op.operationId };
  const params = (op.parameters ?? []) as Json[];
  if (params.length) out.parameters = params.map(v2Parameter);
  const responses: Json = {};
  for (const [code, r] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
    responses[code] = { description: r.description };
  }
  out.responses = responses;
  out["x-kubernetes-action"] = op["x-kubernetes-action"];
  out["x-kubernetes-group-version-kind"] = op["x-kubernetes-group-version-kind"];
  return out;
}

let v2: { doc: Json; bytes: Uint8Array } | undefined;

function buildV2(): { doc: Json; bytes: Uint8Array } {
  if (!v2) {
    const paths: Json = {};
    for (const { doc } of documents().docs.values()) {
      for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
        const out: Json = {};
        const params = (item.parameters ?? []) as Json[];
        if (params.length) out.parameters = params.map(v2Parameter);
        for (const m of OPERATION_METHODS) if (item[m]) out[m] = v2Operation(item[m] as Json);
        paths[path] = out;
      }
    }
    const doc: Json = {
      swagger: "2.0",
      info: { title: "Kubernetes", version: KUBERNETES_VERSION.gitVersion },
      paths: Object.fromEntries(
        Object.keys(paths)
          .sort()
          .map((k) => [k, paths[k]]),
      ),
    };
    v2 = { doc, bytes: encodeV2(doc) };
  }
  return v2;
}

/** `GET /openapi/v2` as JSON (for clients that ask for application/json). */
export function openapiV2Document(): object {
  return buildV2().doc;
}

/** `GET /openapi/v2` (and its old name `/swagger-2.0.0.pb-v1`) as gnostic protobuf, what kubectl asks for. */
export function openapiV2Protobuf(): Uint8Array {
  return buildV2().bytes;
}

// Field numbers of gnostic's openapiv2/OpenAPIv2.proto (package openapi.v2).
const F = {
  Document: { swagger: 1, info: 2, paths: 8 },
  Info: { title: 1, version: 2 },
  Paths: { path: 2 },
  Named: { name: 1, value: 2 },
  PathItem: { get: 2, put: 3, post: 4, delete: 5, patch: 8, parameters: 9 },
  Operation: { operationId: 5, parameters: 8, responses: 9, vendorExtension: 13 },
  ParametersItem: { parameter: 1 },
  Parameter: { nonBody: 2 },
  NonBodyParameter: { query: 3, path: 4 },
  /** QueryParameterSubSchema; PathParameterSubSchema shares 1, 2, 4 and has type at 5, unique_items at 19. */
  Query: { required: 1, in: 2, name: 4, type: 6, uniqueItems: 20 },
  PathParam: { required: 1, in: 2, name: 4, type: 5, uniqueItems: 19 },
  Responses: { responseCode: 1 },
  ResponseValue: { response: 1 },
  Response: { description: 1 },
  Any: { yaml: 2 },
} as const;

type Emit = (w: protobuf.Writer) => void;

function message(w: protobuf.Writer, field: number, body: Emit): void {
  w.uint32((field << 3) | 2).fork();
  body(w);
  w.ldelim();
}

function string(w: protobuf.Writer, field: number, value: unknown): void {
  if (typeof value === "string" && value !== "") w.uint32((field << 3) | 2).string(value);
}

function flag(w: protobuf.Writer, field: number, value: unknown): void {
  if (value === true) w.uint32(field << 3).bool(true);
}

function encodeParameter(w: protobuf.Writer, p: Json): void {
  const f = p.in === "path" ? F.PathParam : F.Query;
  message(w, F.ParametersItem.parameter, (w) =>
    message(w, F.Parameter.nonBody, (w) =>
      message(w, p.in === "path" ? F.NonBodyParameter.path : F.NonBodyParameter.query, (w) => {
        flag(w, f.required, p.required);
        string(w, f.in, p.in);
        string(w, f.name, p.name);
        string(w, f.type, p.type);
        flag(w, f.uniqueItems, p.uniqueItems);
      }),
    ),
  );
}

function encodeOperation(w: protobuf.Writer, op: Json): void {
  string(w, F.Operation.operationId, op.operationId);
  for (const p of (op.parameters ?? []) as Json[])
    message(w, F.Operation.parameters, (w) => encodeParameter(w, p));
  message(w, F.Operation.responses, (w) => {
    for (const [code, r] of Object.entries(op.responses as Record<string, Json>)) {
      message(w, F.Responses.responseCode, (w) => {
        string(w, F.Named.name, code);
        message(w, F.Named.value, (w) =>
          message(w, F.ResponseValue.response, (w) => string(w, F.Response.description, r.description)),
        );
      });
    }
  });
  // Extensions travel as YAML text; JSON is YAML, and kubectl unmarshals it into map[string]string.
  for (const name of ["x-kubernetes-action", "x-kubernetes-group-version-kind"]) {
    if (op[name] === undefined) continue;
    message(w, F.Operation.vendorExtension, (w) => {
      string(w, F.Named.name, name);
      message(w, F.Named.value, (w) => string(w, F.Any.yaml, `${JSON.stringify(op[name])}\n`));
    });
  }
}

function encodeV2(doc: Json): Uint8Array {
  const w = protobuf.Writer.create();
  const info = doc.info as Json;
  string(w, F.Document.swagger, doc.swagger);
  message(w, F.Document.info, (w) => {
    string(w, F.Info.title, info.title);
    string(w, F.Info.version, info.version);
  });
  message(w, F.Document.paths, (w) => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      message(w, F.Paths.path, (w) => {
        string(w, F.Named.name, path);
        message(w, F.Named.value, (w) => {
          for (const m of OPERATION_METHODS) {
            if (item[m]) message(w, F.PathItem[m], (w) => encodeOperation(w, item[m] as Json));
          }
          for (const p of (item.parameters ?? []) as Json[])
            message(w, F.PathItem.parameters, (w) => encodeParameter(w, p));
        });
      });
    }
  });
  return w.finish();
}
