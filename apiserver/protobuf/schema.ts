// The k8s.io/api protobuf schema, loaded at run time from the .proto subset in proto/k8s.io/ (no
// generated code), and the registry of top-level kinds that may arrive as protobuf request bodies.
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

// This runs compiled, as dist/apiserver/protobuf/schema.js: the repo root is three levels up.
const PROTO_DIR = fileURLToPath(new URL("../../../proto/", import.meta.url));

const CORE = "k8s.io.api.core.v1.";
const META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

/** The runtime.Unknown envelope that follows the "k8s\0" magic. */
export const UNKNOWN_MESSAGE = "k8s.io.apimachinery.pkg.runtime.Unknown";

/** "<apiVersion>/<kind>" → the message that encodes it; DeleteOptions: see messageNameFor. */
const KINDS: Record<string, string> = {
  "v1/ConfigMap": `${CORE}ConfigMap`,
  "v1/Secret": `${CORE}Secret`,
  "v1/Namespace": `${CORE}Namespace`,
  "v1/Service": `${CORE}Service`,
  "v1/ServiceAccount": `${CORE}ServiceAccount`,
  "v1/Pod": `${CORE}Pod`,
  "v1/ResourceQuota": `${CORE}ResourceQuota`,
  "apps/v1/Deployment": "k8s.io.api.apps.v1.Deployment",
  "batch/v1/Job": "k8s.io.api.batch.v1.Job",
  "batch/v1/CronJob": "k8s.io.api.batch.v1.CronJob",
  "policy/v1/PodDisruptionBudget": "k8s.io.api.policy.v1.PodDisruptionBudget",
  "policy/v1/Eviction": "k8s.io.api.policy.v1.Eviction",
  "authorization.k8s.io/v1/SelfSubjectAccessReview": "k8s.io.api.authorization.v1.SelfSubjectAccessReview",
  "authentication.k8s.io/v1/TokenRequest": "k8s.io.api.authentication.v1.TokenRequest",
};

// metav1.DeleteOptions is registered in every group version (metav1.AddToGroupVersion), so a typed
// client stamps it with its own group's version, e.g. "v1" from the core client used by drain.
const DELETE_OPTIONS_VERSIONS = new Set([
  "meta.k8s.io/v1",
  ...Object.keys(KINDS).map((k) => k.slice(0, k.lastIndexOf("/"))),
]);

/** The message name for (apiVersion, kind), or undefined when k8ts has no protobuf decoder for it. */
export function messageNameFor(apiVersion: string, kind: string): string | undefined {
  if (kind === "DeleteOptions")
    return DELETE_OPTIONS_VERSIONS.has(apiVersion) ? `${META}DeleteOptions` : undefined;
  return KINDS[`${apiVersion}/${kind}`];
}

const FILES = [
  "k8s.io/apimachinery/pkg/runtime/generated.proto",
  "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto",
  "k8s.io/api/core/v1/generated.proto",
  "k8s.io/api/apps/v1/generated.proto",
  "k8s.io/api/batch/v1/generated.proto",
  "k8s.io/api/policy/v1/generated.proto",
  "k8s.io/api/authorization/v1/generated.proto",
  "k8s.io/api/authentication/v1/generated.proto",
];

let root: protobuf.Root | undefined;

/** The message type by full name; the schema is parsed once, on first use. */
export function lookupMessage(fullName: string): protobuf.Type {
  if (!root) {
    const r = new protobuf.Root();
    // Imports name paths below proto/ ("k8s.io/api/core/v1/generated.proto"), as protoc's -I would.
    r.resolvePath = (_origin, target) => (target.startsWith("/") ? target : PROTO_DIR + target);
    r.loadSync(FILES, { keepCase: true });
    r.resolveAll();
    root = r;
  }
  return root.lookupType(fullName);
}
