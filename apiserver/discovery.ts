// Discovery: how clients learn which resources this server serves. Two forms, both read from the
// resource registry so they can never disagree with routing:
//
// - Aggregated discovery (apidiscovery.k8s.io/v2, Kubernetes 1.30+): `/api` and `/apis` answer with
//   one APIGroupDiscoveryList holding every resource of every version, so kubectl needs two requests
//   in all. kubectl only treats the body as aggregated when the response's Content-Type carries the
//   `g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList` parameters; the server echoes the version
//   the client asked for (v2, or v2beta1 for older clients).
// - Legacy discovery (APIVersions, APIGroupList, one APIResourceList per group-version): the fallback,
//   and still what `kubectl drain` reads (`GET /api/v1`) to find the `pods/eviction` subresource.
//
// Mirrors k8s.io/apiserver/pkg/endpoints/discovery (and its aggregated/ package).

import { apiVersionOf, RESOURCES, type ResourceType, type Subresource } from "../api/resources.js";
import { mediaRanges } from "./table/index.js";

export const AGGREGATED_DISCOVERY_CONTENT_TYPE =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
export const AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE =
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

/** The Kubernetes version this server reports; kubectl compares its minor with its own for skew warnings. */
export const KUBERNETES_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.0-k8ts" } as const;

export type Verb = "create" | "delete" | "deletecollection" | "get" | "list" | "patch" | "update" | "watch";

const ALL_VERBS: readonly Verb[] = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

/** Kubernetes serves no deletecollection for namespaces (deleting every namespace is never a bulk call). */
export function verbsOf(r: ResourceType): readonly Verb[] {
  if (r.group === "" && r.plural === "namespaces") return ALL_VERBS.filter((v) => v !== "deletecollection");
  return ALL_VERBS;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceShape {
  /** The kind a request to the subresource returns, when it is not the parent's own kind. */
  kind?: GroupVersionKind;
  verbs: readonly string[];
}

/** What each subresource answers with and which verbs it takes, as kube-apiserver registers them. */
export const SUBRESOURCES: Readonly<Record<Subresource, SubresourceShape>> = {
  status: { verbs: ["get", "patch", "update"] },
  scale: { kind: { group: "autoscaling", version: "v1", kind: "Scale" }, verbs: ["get", "patch", "update"] },
  log: { verbs: ["get"] },
  exec: { kind: { group: "", version: "v1", kind: "PodExecOptions" }, verbs: ["create", "get"] },
  attach: { kind: { group: "", version: "v1", kind: "PodAttachOptions" }, verbs: ["create", "get"] },
  binding: { kind: { group: "", version: "v1", kind: "Binding" }, verbs: ["create"] },
  eviction: { kind: { group: "policy", version: "v1", kind: "Eviction" }, verbs: ["create"] },
};

export function subresourceKind(r: ResourceType, sub: Subresource): GroupVersionKind {
  return SUBRESOURCES[sub].kind ?? { group: r.group, version: r.version, kind: r.kind };
}

/** Resources sorted by name, the order kube-apiserver lists them in. */
export function resourcesOf(group: string, version: string): ResourceType[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version).sort((a, b) =>
    a.plural.localeCompare(b.plural),
  );
}

/** Group-versions in order of first appearance in the registry; the core group is "". */
export function groupVersions(): { group: string; versions: string[] }[] {
  const out: { group: string; versions: string[] }[] = [];
  for (const r of RESOURCES) {
    let g = out.find((x) => x.group === r.group);
    if (!g) {
      g = { group: r.group, versions: [] };
      out.push(g);
    }
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
  }
  return out;
}

/**
 * The Content-Type to answer aggregated discovery with, or undefined when the client did not ask for
 * it (then legacy discovery is the answer). The first acceptable media range wins, as in content
 * negotiation: kubectl lists v2 before v2beta1.
 */
export function aggregatedDiscoveryContentType(accept: string | undefined): string | undefined {
  if (!accept) return undefined;
  for (const { type, params } of mediaRanges(accept)) {
    if (type !== "application/json") continue;
    if (params.g !== "apidiscovery.k8s.io" || params.as !== "APIGroupDiscoveryList") continue;
    if (params.v === "v2") return AGGREGATED_DISCOVERY_CONTENT_TYPE;
    if (params.v === "v2beta1") return AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE;
  }
  return undefined;
}

export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  return aggregatedDiscoveryContentType(accept) !== undefined;
}

function discoveryResource(r: ResourceType): object {
  return {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.singular,
    verbs: [...verbsOf(r)],
    ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
    ...(r.categories.length ? { categories: [...r.categories] } : {}),
    ...(r.subresources.length
      ? {
          subresources: [...r.subresources].sort().map((sub) => ({
            subresource: sub,
            responseKind: subresourceKind(r, sub),
            verbs: [...SUBRESOURCES[sub].verbs],
          })),
        }
      : {}),
  };
}

/**
 * APIGroupDiscoveryList for `/api` (the core group, named "") or `/apis` (every named group).
 * `apiVersion` follows the content type the caller negotiated (v2 unless told v2beta1).
 */
export function aggregatedDiscovery(which: "api" | "apis", apiVersion: "v2" | "v2beta1" = "v2"): object {
  const groups = groupVersions().filter((g) => (which === "api" ? g.group === "" : g.group !== ""));
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        resources: resourcesOf(g.group, version).map(discoveryResource),
        freshness: "Current",
      })),
    })),
  };
}

/** APIVersions for `GET /api`: the core group's versions and where to reach the server. */
export function legacyApiVersions(serverAddress: string): object {
  return {
    kind: "APIVersions",
    versions: groupVersions().find((g) => g.group === "")?.versions ?? [],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/** APIGroupList for `GET /apis`: every named group, its versions and the preferred (first) one. */
export function legacyGroupList(): object {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: groupVersions()
      .filter((g) => g.group !== "")
      .map((g) => {
        const versions = g.versions.map((version) => ({ groupVersion: `${g.group}/${version}`, version }));
        return { name: g.group, versions, preferredVersion: versions[0] };
      }),
  };
}

/**
 * APIResourceList for `GET /api/v1` or `GET /apis/<group>/<version>`, or undefined when this server
 * does not serve the group-version. Subresources are listed as their own entries ("pods/eviction"),
 * carrying group and version only when their kind lives in another group (policy/v1 Eviction).
 */
export function legacyResourceList(group: string, version: string): object | undefined {
  const resources = resourcesOf(group, version);
  if (resources.length === 0) return undefined;
  const entries: object[] = [];
  for (const r of resources) {
    entries.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...verbsOf(r)],
      ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
      ...(r.categories.length ? { categories: [...r.categories] } : {}),
    });
    for (const sub of [...r.subresources].sort()) {
      const k = subresourceKind(r, sub);
      const foreign = k.group !== r.group || k.version !== r.version;
      entries.push({
        name: `${r.plural}/${sub}`,
        singularName: "",
        namespaced: r.namespaced,
        ...(foreign ? { group: k.group, version: k.version } : {}),
        kind: k.kind,
        verbs: [...SUBRESOURCES[sub].verbs],
      });
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf({ group, version }),
    resources: entries,
  };
}

const NODE_ARCH: Readonly<Record<string, string>> = { x64: "amd64", arm64: "arm64", ia32: "386" };

/** version.Info for `GET /version`; `kubectl version` parses gitVersion as semver. */
export function versionInfo(): object {
  return {
    major: KUBERNETES_VERSION.major,
    minor: KUBERNETES_VERSION.minor,
    gitVersion: KUBERNETES_VERSION.gitVersion,
    gitCommit: "",
    gitTreeState: "",
    buildDate: "",
    // Not Go: say which runtime actually serves, in the field's usual shape.
    goVersion: `node${process.versions.node}`,
    compiler: "tsc",
    platform: `${process.platform}/${NODE_ARCH[process.arch] ?? process.arch}`,
  };
}
