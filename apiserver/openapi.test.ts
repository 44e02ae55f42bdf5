import assert from "node:assert/strict";
import { test } from "node:test";
import { RESOURCES } from "../api/resources.js";
import {
  contentHash,
  openapiV2Document,
  openapiV2Protobuf,
  openapiV3Document,
  openapiV3Index,
} from "./openapi.js";

type Op = {
  parameters?: { name: string }[];
  "x-kubernetes-group-version-kind"?: Record<string, string>;
  "x-kubernetes-action"?: string;
};
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

const doc = (path: string) => openapiV3Document(path) as Doc;
const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

test("the index links every served group-version to its document by content hash", () => {
  const index = openapiV3Index() as { paths: Record<string, { serverRelativeURL: string }> };
  assert.deepEqual(Object.keys(index.paths).sort(), [
    "api/v1",
    "apis/apps/v1",
    "apis/coordination.k8s.io/v1",
  ]);
  for (const [path, { serverRelativeURL }] of Object.entries(index.paths)) {
    const m = /^\/openapi\/v3\/(.+)\?hash=([0-9A-F]{128})$/.exec(serverRelativeURL);
    assert.ok(m, serverRelativeURL);
    assert.equal(m[1], path);
    assert.equal(m[2], contentHash(openapiV3Document(path)));
  }
  assert.deepEqual(openapiV3Index(), index, "stable across calls");
});

test("unknown group-versions have no document", () => {
  for (const p of ["apis/batch/v1", "apis/apps/v2", "api/v2", "apis/policy/v1", ""])
    assert.equal(openapiV3Document(p), undefined, p);
  assert.equal(openapiV3Document("/apis/apps/v1"), openapiV3Document("apis/apps/v1"));
});

// kubectl's query_param_verifier_v3: the first PATCH tagged with the object's GVK must take
// fieldValidation, or `kubectl apply` falls back to client-side validation and fails. Map order is
// not fixed, so every such PATCH must.
test("every served kind has PATCH operations, all of which take fieldValidation (kubectl apply trusts the server)", () => {
  for (const r of RESOURCES) {
    const d = doc(gvPath(r.group, r.version));
    assert.equal(d.openapi, "3.0.0");
    const patches = Object.values(d.paths)
      .map((item) => item.patch)
      .filter((op): op is Op => {
        const gvk = op?.["x-kubernetes-group-version-kind"];
        return gvk?.group === r.group && gvk?.version === r.version && gvk?.kind === r.kind;
      });
    assert.ok(patches.length >= 1, r.kind);
    for (const op of patches)
      assert.ok(
        op.parameters?.some((p) => p.name === "fieldValidation"),
        r.kind,
      );
  }
});

test("pods: namespaced collection and item, the all-namespaces list, and subresources with their kinds", () => {
  const paths = doc("api/v1").paths;
  const pods = paths["/api/v1/namespaces/{namespace}/pods"];
  assert.deepEqual(Object.keys(pods ?? {}).sort(), ["delete", "get", "parameters", "post"]);
  assert.equal(pods?.get?.["x-kubernetes-action"], "list");
  assert.equal(pods?.delete?.["x-kubernetes-action"], "deletecollection");
  assert.ok(pods?.post?.parameters?.some((p) => p.name === "fieldValidation"));
  const pod = paths["/api/v1/namespaces/{namespace}/pods/{name}"];
  assert.deepEqual(Object.keys(pod ?? {}).sort(), ["delete", "get", "parameters", "patch", "put"]);
  assert.ok(pod?.put?.parameters?.some((p) => p.name === "fieldValidation"));
  assert.deepEqual(paths["/api/v1/pods"]?.get?.["x-kubernetes-group-version-kind"], {
    group: "",
    version: "v1",
    kind: "Pod",
  });
  assert.deepEqual(
    paths["/api/v1/namespaces/{namespace}/pods/{name}/eviction"]?.post?.["x-kubernetes-group-version-kind"],
    {
      group: "policy",
      version: "v1",
      kind: "Eviction",
    },
  );
  assert.equal(
    paths["/api/v1/namespaces/{namespace}/pods/{name}/exec"]?.get?.["x-kubernetes-action"],
    "connect",
  );
  assert.deepEqual(Object.keys(paths["/api/v1/namespaces/{namespace}/pods/{name}/status"] ?? {}).sort(), [
    "get",
    "parameters",
    "patch",
    "put",
  ]);
});

test("cluster-scoped kinds have no namespace in their paths; namespaces cannot be deleted as a collection", () => {
  const paths = doc("api/v1").paths;
  assert.ok(paths["/api/v1/nodes/{name}"]?.patch);
  assert.ok(paths["/api/v1/nodes"]?.delete);
  assert.equal(paths["/api/v1/namespaces"]?.delete, undefined);
  assert.ok(
    !Object.keys(paths).some((p) => p.includes("{namespace}/nodes") || p.includes("{namespace}/namespaces")),
  );
  const scale = doc("apis/apps/v1").paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
  assert.deepEqual(scale?.patch?.["x-kubernetes-group-version-kind"], {
    group: "autoscaling",
    version: "v1",
    kind: "Scale",
  });
});

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref") out.push(String(v));
      else refs(v, out);
    }
  }
  return out;
}

test("every $ref resolves inside its own document", () => {
  for (const path of Object.keys((openapiV3Index() as { paths: object }).paths)) {
    const d = doc(path);
    for (const r of refs(d)) {
      const name = r.replace("#/components/schemas/", "");
      assert.ok(d.components.schemas[name], `${path}: ${r}`);
    }
  }
});

test("schemas come from the catalog: kinds tagged with their GVK, strategic-merge-patch keys on lists", () => {
  const schemas = doc("api/v1").components.schemas;
  const pod = schemas["io.k8s.api.core.v1.Pod"] as {
    properties: Record<string, unknown>;
    "x-kubernetes-group-version-kind": unknown;
  };
  assert.deepEqual(pod["x-kubernetes-group-version-kind"], [{ group: "", kind: "Pod", version: "v1" }]);
  assert.deepEqual(pod.properties.spec, { $ref: "#/components/schemas/io.k8s.api.core.v1.PodSpec" });
  const spec = schemas["io.k8s.api.core.v1.PodSpec"] as {
    type: string;
    properties: Record<string, Record<string, unknown>>;
  };
  assert.equal(spec.type, "object");
  assert.equal(spec.properties.containers?.type, "array");
  assert.equal(spec.properties.containers?.["x-kubernetes-patch-merge-key"], "name");
  assert.equal(spec.properties.containers?.["x-kubernetes-patch-strategy"], "merge");
  assert.deepEqual(schemas["io.k8s.api.core.v1.PodList"]?.["x-kubernetes-group-version-kind"], [
    { group: "", kind: "PodList", version: "v1" },
  ]);
  const apps = doc("apis/apps/v1").components.schemas;
  assert.ok(
    apps["io.k8s.api.core.v1.PodTemplateSpec"],
    "a Deployment's template is described in the apps document",
  );
  assert.deepEqual(apps["io.k8s.api.apps.v1.Deployment"]?.["x-kubernetes-group-version-kind"], [
    { group: "apps", kind: "Deployment", version: "v1" },
  ]);
});

// gnostic's openapiv2/OpenAPIv2.proto, only the messages kubectl 1.27/1.28's v2 verifier reads.
const GNOSTIC_SUBSET = `
syntax = "proto3";
package openapi.v2;
message Document { string swagger = 1; Info info = 2; Paths paths = 8; }
message Info { string title = 1; string version = 2; }
message Paths { repeated NamedPathItem path = 2; }
message NamedPathItem { string name = 1; PathItem value = 2; }
message PathItem { Operation get = 2; Operation put = 3; Operation post = 4; Operation delete = 5; Operation patch = 8; repeated ParametersItem parameters = 9; }
message Operation { string operation_id = 5; repeated ParametersItem parameters = 8; repeated NamedAny vendor_extension = 13; }
message ParametersItem { Parameter parameter = 1; }
message Parameter { NonBodyParameter non_body_parameter = 2; }
message NonBodyParameter { QueryParameterSubSchema query_parameter_sub_schema = 3; PathParameterSubSchema path_parameter_sub_schema = 4; }
message QueryParameterSubSchema { bool required = 1; string in = 2; string name = 4; string type = 6; }
message PathParameterSubSchema { bool required = 1; string in = 2; string name = 4; string type = 5; }
message NamedAny { string name = 1; Any value = 2; }
message Any { string yaml = 2; }
`;

type V2Op = {
  operationId?: string;
  parameters?: { parameter?: { nonBodyParameter?: { queryParameterSubSchema?: { name?: string } } } }[];
  vendorExtension?: { name?: string; value?: { yaml?: string } }[];
};

test("OpenAPI v2 protobuf: kubectl 1.27/1.28 find fieldValidation on the PATCH of every served kind", async () => {
  const { default: protobuf } = await import("protobufjs");
  const Document = protobuf.parse(GNOSTIC_SUBSET).root.lookupType("openapi.v2.Document");
  const decoded = Document.toObject(Document.decode(openapiV2Protobuf())) as {
    swagger: string;
    info: { title: string };
    paths: { path: { name: string; value: { patch?: V2Op; parameters?: unknown[] } }[] };
  };
  assert.equal(decoded.swagger, "2.0");
  assert.equal(decoded.info.title, "Kubernetes");
  const gvkOf = (op: V2Op | undefined) => {
    const yaml = op?.vendorExtension?.find((e) => e.name === "x-kubernetes-group-version-kind")?.value?.yaml;
    return yaml ? (JSON.parse(yaml) as Record<string, string>) : undefined;
  };
  for (const r of RESOURCES) {
    const patches = decoded.paths.path
      .map((p) => p.value.patch)
      .filter((op) => {
        const g = gvkOf(op);
        return g?.group === r.group && g?.version === r.version && g?.kind === r.kind;
      });
    assert.ok(patches.length >= 1, r.kind);
    for (const op of patches) {
      const names = (op?.parameters ?? []).map(
        (p) => p.parameter?.nonBodyParameter?.queryParameterSubSchema?.name,
      );
      assert.ok(names.includes("fieldValidation"), `${r.kind} ${op?.operationId}`);
    }
  }
  const item = decoded.paths.path.find((p) => p.name === "/api/v1/namespaces/{namespace}/pods/{name}");
  assert.equal(item?.value.parameters?.length, 3, "name, namespace, pretty");
  const json = openapiV2Document() as {
    swagger: string;
    paths: Record<string, { patch?: { operationId?: string } }>;
  };
  assert.equal(json.swagger, "2.0");
  assert.equal(
    json.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?.patch?.operationId,
    "patchAppsV1NamespacedDeployment",
  );
});
