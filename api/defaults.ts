// Defaulting: what the API server fills in before validation and storage, so that what users read
// back matches a real cluster. Mirrors SetDefaults_* in pkg/apis/core/v1/defaults.go and
// pkg/apis/apps/v1/defaults.go, plus values real clusters show that come from elsewhere:
// priority 0 / preemptionPolicy (the Priority admission plugin without a PriorityClass), the
// Namespace "kubernetes" finalizer (the namespace strategy) and Secret.stringData folded into data
// (the v1 conversion). Quantities are rewritten in their canonical form ("1000m" → "1", 2 → "2"),
// as Kubernetes' serializer does.

import type { DeploymentSpec, ReplicaSetSpec } from "./apps-v1.js";
import { CATALOG } from "./catalog/index.js";
import {
  type Container,
  type HTTPGetAction,
  type LifecycleHandler,
  type NodeStatus,
  type PodSpec,
  type PodTemplateSpec,
  type Probe,
  type Secret,
  VOLUME_SOURCES,
  type Volume,
} from "./core-v1.js";
import type { KubeObject } from "./meta.js";
import { Quantity } from "./quantity.js";
import { RESOURCES } from "./resources.js";
import type { FieldSchema } from "./schema.js";

/** Fills in Kubernetes' defaults for an object of `kind`, in place. Unknown kinds are left alone. */
export function applyDefaults(kind: string, obj: KubeObject): void {
  switch (kind) {
    case "Pod":
      obj.spec ??= { containers: [] };
      defaultPodSpec(obj.spec as PodSpec);
      defaultPodOnly(obj.spec as PodSpec);
      break;
    case "Deployment":
      if (obj.spec) defaultDeploymentSpec(obj.spec as DeploymentSpec);
      break;
    case "ReplicaSet":
      if (obj.spec) defaultReplicaSetSpec(obj.spec as ReplicaSetSpec);
      break;
    case "Secret":
      defaultSecret(obj as Secret);
      break;
    case "Namespace": {
      obj.spec ??= {};
      const spec = obj.spec as { finalizers?: string[] };
      spec.finalizers ??= ["kubernetes"];
      obj.status ??= {};
      const status = obj.status as { phase?: string };
      status.phase ||= "Active";
      break;
    }
    case "Node":
      if (obj.status) defaultNodeStatus(obj.status as NodeStatus);
      break;
  }
  const root = RESOURCES.find((r) => r.kind === kind)?.schema;
  if (root) canonicalizeQuantities(root, obj);
}

/**
 * type Opaque, and stringData folded into data (base64), as the v1→internal conversion does:
 * stringData is write-only and wins over data for the same key.
 */
function defaultSecret(secret: Secret): void {
  secret.type ||= "Opaque";
  if (secret.stringData) {
    secret.data ??= {};
    for (const [k, v] of Object.entries(secret.stringData))
      secret.data[k] = Buffer.from(String(v)).toString("base64");
    delete secret.stringData;
  }
}

function defaultDeploymentSpec(spec: DeploymentSpec): void {
  spec.replicas ??= 1;
  spec.strategy ??= {};
  const strategy = spec.strategy;
  strategy.type ||= "RollingUpdate";
  if (strategy.type === "RollingUpdate") {
    strategy.rollingUpdate ??= {};
    const ru = strategy.rollingUpdate;
    ru.maxUnavailable ??= "25%";
    ru.maxSurge ??= "25%";
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template);
}

function defaultReplicaSetSpec(spec: ReplicaSetSpec): void {
  spec.replicas ??= 1;
  defaultTemplate(spec.template);
}

function defaultTemplate(template: PodTemplateSpec | undefined): void {
  if (template?.spec) defaultPodSpec(template.spec);
}

/** SetDefaults_PodSpec: what both Pods and pod templates (Deployment, ReplicaSet) get. */
export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ||= "Always";
  spec.dnsPolicy ||= "ClusterFirst";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ||= "default-scheduler";
  // serviceAccount is the deprecated spelling; the conversion keeps the two in step.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (!spec.serviceAccount && spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/**
 * SetDefaults_Pod and the Priority admission plugin: only real Pods get these, so Deployment and
 * ReplicaSet templates read back as written (as in Kubernetes).
 */
function defaultPodOnly(spec: PodSpec): void {
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ||= "PreemptLowerPriority";
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    // Requests default to limits for every resource that has a limit but no request.
    const resources = c.resources ?? {};
    if (resources.limits) {
      resources.requests ??= {};
      const requests = resources.requests;
      for (const [name, limit] of Object.entries(resources.limits)) {
        if (!(name in requests)) requests[name] = limit;
      }
    }
    // With the host's network the container port is the host port.
    if (spec.hostNetwork) for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
  }
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ||= imageTag(c.image ?? "") === "latest" ? "Always" : "IfNotPresent";
  c.terminationMessagePath ||= "/dev/termination-log";
  c.terminationMessagePolicy ||= "File";
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ||= "TCP";
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
  for (const h of [c.lifecycle?.postStart, c.lifecycle?.preStop]) if (h) defaultHandler(h);
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ||= "v1";
}

function defaultProbe(p: Probe): void {
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
}

function defaultHandler(h: LifecycleHandler | Probe): void {
  if (h.httpGet) defaultHTTPGet(h.httpGet);
}

function defaultHTTPGet(a: HTTPGetAction): void {
  a.path ||= "/";
  a.scheme ||= "HTTP";
}

const DEFAULT_MODE = 0o644;

function defaultVolume(v: Volume): void {
  // A volume with no source is an emptyDir (SetDefaults_Volume).
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  if (v.hostPath) v.hostPath.type ??= "";
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_MODE;
  if (v.secret) v.secret.defaultMode ??= DEFAULT_MODE;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= DEFAULT_MODE;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= "v1";
  }
  if (v.projected) {
    v.projected.defaultMode ??= DEFAULT_MODE;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
    }
  }
}

function defaultNodeStatus(status: NodeStatus): void {
  // Allocatable defaults to capacity (SetDefaults_NodeStatus).
  if (!status.allocatable && status.capacity) status.allocatable = { ...status.capacity };
}

/**
 * The tag of an image reference as parsers.ParseImageName finds it: "latest" when there is neither
 * a tag nor a digest, "" when there is only a digest. A registry port ("host:5000/x") is not a tag.
 */
export function imageTag(image: string): string {
  const at = image.indexOf("@");
  const named = at >= 0 ? image.slice(0, at) : image;
  const lastPart = named.slice(named.lastIndexOf("/") + 1);
  const colon = lastPart.lastIndexOf(":");
  if (colon >= 0) return lastPart.slice(colon + 1);
  return at >= 0 ? "" : "latest";
}

/** Rewrites every quantity-typed field of `value` (by the catalog struct `structName`) into canonical form. */
export function canonicalizeQuantities(structName: string, value: unknown): void {
  const fields = quantityFields(structName);
  if (!fields || typeof value !== "object" || value === null || Array.isArray(value)) return;
  const obj = value as Record<string, unknown>;
  for (const [key, field] of fields) {
    if (obj[key] !== undefined && obj[key] !== null) obj[key] = canonicalField(field, obj[key]);
  }
}

let QUANTITY_FIELDS: Map<string, [string, FieldSchema][]> | undefined;

/**
 * The fields of a struct that can hold a quantity at any depth (a Pod's metadata cannot, so it is
 * never walked): computed once for the whole catalog, to a fixed point because types nest in cycles.
 */
function quantityFields(structName: string): [string, FieldSchema][] | undefined {
  if (!QUANTITY_FIELDS) {
    const holds = new Set<string>();
    const may = (f: FieldSchema): boolean => {
      switch (f.type) {
        case "quantity":
          return true;
        case "object":
          return holds.has(f.ref);
        case "map":
          return may(f.values);
        case "array":
          return may(f.items);
        default:
          return false;
      }
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (const [name, schema] of CATALOG) {
        if (!holds.has(name) && Object.values(schema.fields).some(may)) {
          holds.add(name);
          changed = true;
        }
      }
    }
    QUANTITY_FIELDS = new Map();
    for (const [name, schema] of CATALOG) {
      QUANTITY_FIELDS.set(
        name,
        Object.entries(schema.fields).filter(([, f]) => may(f)),
      );
    }
  }
  return QUANTITY_FIELDS.get(structName);
}

function canonicalField(field: FieldSchema, v: unknown): unknown {
  switch (field.type) {
    case "quantity":
      return typeof v === "string" || typeof v === "number" ? (Quantity.tryParse(v)?.toString() ?? v) : v;
    case "object":
      canonicalizeQuantities(field.ref, v);
      return v;
    case "map":
      if (typeof v === "object" && v !== null && !Array.isArray(v)) {
        const m = v as Record<string, unknown>;
        for (const k of Object.keys(m)) if (m[k] !== null) m[k] = canonicalField(field.values, m[k]);
      }
      return v;
    case "array":
      return Array.isArray(v)
        ? v.map((item) => (item === null ? item : canonicalField(field.items, item)))
        : v;
    default:
      return v;
  }
}
