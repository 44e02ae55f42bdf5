import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  aggregatedDiscovery,
  aggregatedDiscoveryContentType,
  legacyApiVersions,
  legacyGroupList,
  legacyResourceList,
  versionInfo,
  wantsAggregatedDiscovery,
} from "./discovery.js";

// What kubectl 1.32 sends for /api and /apis (kubectl-compat §2.1), and what other clients send.
const KUBECTL_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

test("aggregated discovery is negotiated from the Accept header", () => {
  const cases: [string | undefined, string | undefined][] = [
    [KUBECTL_ACCEPT, AGGREGATED_DISCOVERY_CONTENT_TYPE],
    [
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
    ],
    [
      "application/json; as=APIGroupDiscoveryList; v=v2; g=apidiscovery.k8s.io",
      AGGREGATED_DISCOVERY_CONTENT_TYPE,
    ],
    ["application/json, */*", undefined],
    ["application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList", undefined],
    [undefined, undefined],
  ];
  for (const [accept, want] of cases) {
    assert.equal(aggregatedDiscoveryContentType(accept), want, String(accept));
    assert.equal(wantsAggregatedDiscovery(accept), want !== undefined, String(accept));
  }
});

type Res = Record<string, unknown> & { resource: string; subresources?: Record<string, unknown>[] };
type Doc = {
  kind: string;
  apiVersion: string;
  items: { metadata: { name: string }; versions: { version: string; resources: Res[] }[] }[];
};

test('aggregated /api holds the core group, named "", with kubectl\'s short names and categories', () => {
  const doc = aggregatedDiscovery("api") as Doc;
  assert.equal(doc.kind, "APIGroupDiscoveryList");
  assert.equal(doc.apiVersion, "apidiscovery.k8s.io/v2");
  assert.deepEqual(
    doc.items.map((g) => g.metadata.name),
    [""],
  );
  const v1 = doc.items[0]?.versions[0];
  assert.equal(v1?.version, "v1");
  const pods = v1?.resources.find((r) => r.resource === "pods");
  assert.deepEqual(
    { ...pods, subresources: undefined },
    {
      resource: "pods",
      responseKind: { group: "", version: "v1", kind: "Pod" },
      scope: "Namespaced",
      singularResource: "pod",
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      shortNames: ["po"],
      categories: ["all"],
      subresources: undefined,
    },
  );
  assert.deepEqual(pods?.subresources, [
    {
      subresource: "attach",
      responseKind: { group: "", version: "v1", kind: "PodAttachOptions" },
      verbs: ["create", "get"],
    },
    {
      subresource: "binding",
      responseKind: { group: "", version: "v1", kind: "Binding" },
      verbs: ["create"],
    },
    {
      subresource: "eviction",
      responseKind: { group: "policy", version: "v1", kind: "Eviction" },
      verbs: ["create"],
    },
    {
      subresource: "exec",
      responseKind: { group: "", version: "v1", kind: "PodExecOptions" },
      verbs: ["create", "get"],
    },
    { subresource: "log", responseKind: { group: "", version: "v1", kind: "Pod" }, verbs: ["get"] },
    {
      subresource: "status",
      responseKind: { group: "", version: "v1", kind: "Pod" },
      verbs: ["get", "patch", "update"],
    },
  ]);
  const byName = Object.fromEntries((v1?.resources ?? []).map((r) => [r.resource, r]));
  assert.deepEqual(Object.keys(byName).sort(), [
    "configmaps",
    "events",
    "namespaces",
    "nodes",
    "pods",
    "secrets",
  ]);
  assert.equal(byName.nodes?.scope, "Cluster");
  assert.deepEqual(byName.nodes?.shortNames, ["no"]);
  assert.deepEqual(byName.namespaces?.shortNames, ["ns"]);
  assert.deepEqual(byName.events?.shortNames, ["ev"]);
  assert.deepEqual(byName.namespaces?.verbs, ["create", "delete", "get", "list", "patch", "update", "watch"]);
  assert.equal(byName.secrets?.shortNames, undefined);
});

test("aggregated /apis holds apps and coordination.k8s.io; deployments scale to autoscaling/v1 Scale", () => {
  const doc = aggregatedDiscovery("apis") as Doc;
  assert.deepEqual(
    doc.items.map((g) => g.metadata.name),
    ["apps", "coordination.k8s.io"],
  );
  const apps = doc.items[0]?.versions[0]?.resources ?? [];
  const deploy = apps.find((r) => r.resource === "deployments");
  assert.deepEqual(deploy?.shortNames, ["deploy"]);
  assert.deepEqual(deploy?.categories, ["all"]);
  assert.deepEqual(deploy?.subresources, [
    {
      subresource: "scale",
      responseKind: { group: "autoscaling", version: "v1", kind: "Scale" },
      verbs: ["get", "patch", "update"],
    },
    {
      subresource: "status",
      responseKind: { group: "apps", version: "v1", kind: "Deployment" },
      verbs: ["get", "patch", "update"],
    },
  ]);
  assert.deepEqual(apps.find((r) => r.resource === "replicasets")?.shortNames, ["rs"]);
  const leases = doc.items[1]?.versions[0]?.resources[0];
  assert.equal(leases?.resource, "leases");
  assert.equal(leases?.subresources, undefined);
  assert.equal((aggregatedDiscovery("apis", "v2beta1") as Doc).apiVersion, "apidiscovery.k8s.io/v2beta1");
});

test("legacy /api and /apis", () => {
  assert.deepEqual(legacyApiVersions("127.0.0.1:6443"), {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }],
  });
  assert.deepEqual(legacyGroupList(), {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [
      {
        name: "apps",
        versions: [{ groupVersion: "apps/v1", version: "v1" }],
        preferredVersion: { groupVersion: "apps/v1", version: "v1" },
      },
      {
        name: "coordination.k8s.io",
        versions: [{ groupVersion: "coordination.k8s.io/v1", version: "v1" }],
        preferredVersion: { groupVersion: "coordination.k8s.io/v1", version: "v1" },
      },
    ],
  });
});

test("legacy /api/v1 lists subresources as their own entries, eviction in policy/v1 (kubectl drain)", () => {
  const list = legacyResourceList("", "v1") as { groupVersion: string; resources: Record<string, unknown>[] };
  assert.equal(list.groupVersion, "v1");
  const byName = Object.fromEntries(list.resources.map((r) => [r.name, r]));
  assert.deepEqual(byName.pods, {
    name: "pods",
    singularName: "pod",
    namespaced: true,
    kind: "Pod",
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    shortNames: ["po"],
    categories: ["all"],
  });
  assert.deepEqual(byName["pods/eviction"], {
    name: "pods/eviction",
    singularName: "",
    namespaced: true,
    group: "policy",
    version: "v1",
    kind: "Eviction",
    verbs: ["create"],
  });
  assert.deepEqual(byName["pods/log"], {
    name: "pods/log",
    singularName: "",
    namespaced: true,
    kind: "Pod",
    verbs: ["get"],
  });
  assert.deepEqual(byName["nodes/status"], {
    name: "nodes/status",
    singularName: "",
    namespaced: false,
    kind: "Node",
    verbs: ["get", "patch", "update"],
  });
});

test("legacy /apis/apps/v1 has deployments/scale as autoscaling/v1 Scale; unknown group-versions are undefined", () => {
  const list = legacyResourceList("apps", "v1") as {
    groupVersion: string;
    resources: Record<string, unknown>[];
  };
  assert.equal(list.groupVersion, "apps/v1");
  assert.deepEqual(
    list.resources.find((r) => r.name === "deployments/scale"),
    {
      name: "deployments/scale",
      singularName: "",
      namespaced: true,
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: ["get", "patch", "update"],
    },
  );
  assert.equal(legacyResourceList("apps", "v1beta1"), undefined);
  assert.equal(legacyResourceList("batch", "v1"), undefined);
});

test("version reports a semver gitVersion of Kubernetes 1.32", () => {
  const v = versionInfo() as Record<string, string>;
  assert.equal(v.major, "1");
  assert.equal(v.minor, "32");
  assert.match(v.gitVersion ?? "", /^v1\.32\.\d+(-[0-9A-Za-z.-]+)?$/);
});
