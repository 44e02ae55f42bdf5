// Container rules (pkg/apis/core/validation: validateContainers, validateContainerPorts, validateEnv,
// ValidateResourceRequirements, validateProbe, validateLifecycle, ValidateSecurityContext).

import type {
  Container,
  EnvFromSource,
  EnvVar,
  HTTPGetAction,
  IntOrString,
  LifecycleHandler,
  Probe,
  ResourceRequirements,
  SecurityContext,
} from "../core-v1.js";
import {
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
} from "../names.js";
import { Quantity } from "../quantity.js";
import {
  child,
  duplicate,
  type FieldError,
  forbidden,
  index,
  inRange,
  invalid,
  invalidIf,
  key,
  nonNegative,
  notFound,
  notSupported,
  oneOfIfSet,
  required,
} from "./field-error.js";

const PROTOCOLS = ["SCTP", "TCP", "UDP"];
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"];
const URI_SCHEMES = ["HTTP", "HTTPS"];
const STANDARD_CONTAINER_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage"]);
const FIELD_REF_PATHS = [
  "metadata.annotations",
  "metadata.labels",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.serviceAccountName",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
];
const RESOURCE_FIELD_REFS = [
  "limits.cpu",
  "limits.ephemeral-storage",
  "limits.memory",
  "requests.cpu",
  "requests.ephemeral-storage",
  "requests.memory",
];
const MAX_INT32 = 2147483647;

export interface ContainerContext {
  /** Names of the pod's volumes, for volumeMounts. */
  volumes: ReadonlySet<string>;
  hostNetwork: boolean;
  /** An init container: probes and lifecycle only for sidecars (restartPolicy Always). */
  init: boolean;
}

export function validateContainer(c: Container, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.image) errs.push(required(child(path, "image")));
  else if (c.image.trim() !== c.image) {
    errs.push(invalid(child(path, "image"), c.image, "must not have leading or trailing whitespace"));
  }
  errs.push(...oneOfIfSet(child(path, "imagePullPolicy"), c.imagePullPolicy, PULL_POLICIES));
  errs.push(
    ...oneOfIfSet(
      child(path, "terminationMessagePolicy"),
      c.terminationMessagePolicy,
      TERMINATION_MESSAGE_POLICIES,
    ),
  );
  const sidecar = ctx.init && c.restartPolicy === "Always";
  if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
    if (!ctx.init)
      errs.push(forbidden(child(path, "restartPolicy"), "may not be set for non-init containers"));
    else if (c.restartPolicy !== "Always")
      errs.push(notSupported(child(path, "restartPolicy"), c.restartPolicy, ["Always"]));
  }
  errs.push(...validatePorts(c, child(path, "ports"), ctx.hostNetwork));
  errs.push(...validateEnv(c.env, child(path, "env")));
  errs.push(...validateEnvFrom(c.envFrom, child(path, "envFrom")));
  errs.push(...validateResources(c.resources, child(path, "resources")));
  errs.push(...validateVolumeMounts(c, child(path, "volumeMounts"), ctx.volumes));
  for (const probeName of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
    const probe = c[probeName];
    if (!probe) continue;
    const p = child(path, probeName);
    if (ctx.init && !sidecar) {
      errs.push(forbidden(p, "may not be set for init containers without restartPolicy=Always"));
      continue;
    }
    errs.push(...validateProbe(probe, p, probeName !== "readinessProbe"));
  }
  if (c.lifecycle) {
    const p = child(path, "lifecycle");
    if (ctx.init && !sidecar)
      errs.push(forbidden(p, "may not be set for init containers without restartPolicy=Always"));
    else {
      if (c.lifecycle.postStart)
        errs.push(...validateHandler(c.lifecycle.postStart, child(p, "postStart"), true));
      if (c.lifecycle.preStop) errs.push(...validateHandler(c.lifecycle.preStop, child(p, "preStop"), true));
    }
  }
  errs.push(...validateSecurityContext(c.securityContext, child(path, "securityContext")));
  return errs;
}

function validatePorts(c: Container, path: string, hostNetwork: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (c.ports ?? []).forEach((port, i) => {
    const p = index(path, i);
    if (port.name) {
      errs.push(...invalidIf(child(p, "name"), port.name, isValidPortName(port.name)));
      if (names.has(port.name)) errs.push(duplicate(child(p, "name"), port.name));
      names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(child(p, "containerPort")));
    else
      errs.push(
        ...invalidIf(child(p, "containerPort"), port.containerPort, isValidPortNum(port.containerPort)),
      );
    if (port.hostPort) {
      errs.push(...invalidIf(child(p, "hostPort"), port.hostPort, isValidPortNum(port.hostPort)));
      if (hostNetwork && port.hostPort !== port.containerPort) {
        errs.push(
          invalid(
            child(p, "hostPort"),
            port.hostPort,
            "must match `containerPort` when `hostNetwork` is true",
          ),
        );
      }
    }
    if (!port.protocol) errs.push(required(child(p, "protocol")));
    else errs.push(...oneOfIfSet(child(p, "protocol"), port.protocol, PROTOCOLS));
  });
  return errs;
}

function validateEnv(env: EnvVar[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((e, i) => {
    const p = index(path, i);
    if (!e.name) errs.push(required(child(p, "name")));
    else errs.push(...invalidIf(child(p, "name"), e.name, isEnvVarName(e.name)));
    if (e.valueFrom) errs.push(...validateEnvVarSource(e, child(p, "valueFrom")));
  });
  return errs;
}

function validateEnvVarSource(e: EnvVar, path: string): FieldError[] {
  const src = e.valueFrom!;
  const errs: FieldError[] = [];
  const set = (["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"] as const).filter(
    (k) => src[k],
  );
  if (set.length === 0) {
    errs.push(
      invalid(
        path,
        "",
        "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
      ),
    );
  } else if (set.length > 1) {
    errs.push(invalid(path, "", "may not have more than one field specified at a time"));
  }
  if (e.value) errs.push(invalid(path, "", "may not be specified when `value` is not empty"));
  if (src.fieldRef) {
    const p = child(path, "fieldRef", "fieldPath");
    const fp = src.fieldRef.fieldPath;
    const base = fp?.replace(/\['[^']*'\]$/, "");
    if (!fp) errs.push(required(p));
    else if (
      !FIELD_REF_PATHS.includes(base ?? "") ||
      ((base === "metadata.labels" || base === "metadata.annotations") && base === fp)
    ) {
      errs.push(notSupported(p, fp, FIELD_REF_PATHS));
    }
  }
  if (src.resourceFieldRef) {
    const p = child(path, "resourceFieldRef", "resource");
    if (!src.resourceFieldRef.resource) errs.push(required(p));
    else errs.push(...oneOfIfSet(p, src.resourceFieldRef.resource, RESOURCE_FIELD_REFS));
  }
  for (const k of ["configMapKeyRef", "secretKeyRef"] as const) {
    const ref = src[k];
    if (!ref) continue;
    if (!ref.name) errs.push(required(child(path, k, "name")));
    if (!ref.key) errs.push(required(child(path, k, "key")));
    else errs.push(...invalidIf(child(path, k, "key"), ref.key, configKeyErrors(ref.key)));
  }
  return errs;
}

/** validation.IsConfigMapKey: the keys of ConfigMap/Secret data. */
export function configKeyErrors(k: string): string[] {
  const errs: string[] = [];
  if (k.length > 253) errs.push("must be no more than 253 characters");
  if (!/^[-._a-zA-Z0-9]+$/.test(k)) {
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  if (k === ".") errs.push("must not be '.'");
  else if (k === "..") errs.push("must not be '..'");
  else if (k.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

function validateEnvFrom(envFrom: EnvFromSource[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (envFrom ?? []).forEach((ef, i) => {
    const p = index(path, i);
    if (ef.prefix) errs.push(...invalidIf(child(p, "prefix"), ef.prefix, isEnvVarName(ef.prefix)));
    const set = (["configMapRef", "secretRef"] as const).filter((k) => ef[k]);
    if (set.length === 0) errs.push(invalid(p, "", "must specify one of: `configMapRef` or `secretRef`"));
    if (set.length > 1) errs.push(invalid(p, "", "may not have more than one field specified at a time"));
    for (const k of set) {
      const name = ef[k]?.name;
      if (!name) errs.push(required(child(p, k, "name")));
      else errs.push(...invalidIf(child(p, k, "name"), name, isDNS1123Subdomain(name)));
    }
  });
  return errs;
}

/** A resource name in limits/requests: a standard one, hugepages-*, or a qualified extended name. */
function resourceNameErrors(name: string): string[] {
  const msgs = isQualifiedName(name);
  if (msgs.length > 0) return msgs;
  if (!name.includes("/") && !STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith("hugepages-")) {
    return ["must be a standard resource for containers"];
  }
  return [];
}

/** Quantities in a ResourceList: parseable and not negative (ValidateResourceQuantityValue). */
export function validateResourceList(
  list: Record<string, unknown> | undefined,
  path: string,
  names = true,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, raw] of Object.entries(list ?? {})) {
    const p = key(path, name);
    if (names) errs.push(...invalidIf(p, name, resourceNameErrors(name)));
    errs.push(...validateQuantity(raw, p));
  }
  return errs;
}

export function validateQuantity(raw: unknown, path: string): FieldError[] {
  const q = typeof raw === "string" || typeof raw === "number" ? Quantity.tryParse(raw) : undefined;
  if (!q) {
    return [
      invalid(
        path,
        raw,
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      ),
    ];
  }
  return q.sign() < 0 ? [invalid(path, q.toString(), "must be greater than or equal to 0")] : [];
}

function validateResources(r: ResourceRequirements | undefined, path: string): FieldError[] {
  if (!r) return [];
  const errs = [
    ...validateResourceList(r.limits, child(path, "limits")),
    ...validateResourceList(r.requests, child(path, "requests")),
  ];
  if (errs.length > 0) return errs;
  for (const [name, raw] of Object.entries(r.requests ?? {})) {
    const limitRaw = r.limits?.[name];
    if (limitRaw === undefined) continue;
    const request = Quantity.parse(raw);
    const limit = Quantity.parse(limitRaw);
    if (request.cmp(limit) > 0) {
      errs.push(
        invalid(
          child(path, "requests"),
          request.toString(),
          `must be less than or equal to ${name} limit of ${limit.toString()}`,
        ),
      );
    }
  }
  return errs;
}

function validateVolumeMounts(c: Container, path: string, volumes: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = index(path, i);
    if (!m.name) errs.push(required(child(p, "name")));
    else if (!volumes.has(m.name)) errs.push(notFound(child(p, "name"), m.name));
    if (!m.mountPath) errs.push(required(child(p, "mountPath")));
    else {
      if (paths.has(m.mountPath)) errs.push(invalid(child(p, "mountPath"), m.mountPath, "must be unique"));
      paths.add(m.mountPath);
    }
    if (m.subPath) errs.push(...relativePathErrors(m.subPath, child(p, "subPath")));
    errs.push(
      ...oneOfIfSet(child(p, "mountPropagation"), m.mountPropagation, [
        "Bidirectional",
        "HostToContainer",
        "None",
      ]),
    );
  });
  return errs;
}

/** validateLocalDescendingPath: relative, and no ".." element. */
export function relativePathErrors(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith("/")) errs.push(invalid(path, p, "must be a relative path"));
  if (p.split("/").includes("..")) errs.push(invalid(path, p, "must not contain '..'"));
  return errs;
}

function validateProbe(probe: Probe, path: string, successMustBeOne: boolean): FieldError[] {
  const errs = validateHandler(probe, path, false);
  errs.push(...nonNegative(child(path, "initialDelaySeconds"), probe.initialDelaySeconds));
  errs.push(...nonNegative(child(path, "timeoutSeconds"), probe.timeoutSeconds));
  errs.push(...nonNegative(child(path, "periodSeconds"), probe.periodSeconds));
  errs.push(...nonNegative(child(path, "successThreshold"), probe.successThreshold));
  errs.push(...nonNegative(child(path, "failureThreshold"), probe.failureThreshold));
  if (successMustBeOne && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(invalid(child(path, "successThreshold"), probe.successThreshold, "must be 1"));
  }
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds !== null) {
    if (!successMustBeOne) {
      errs.push(
        invalid(
          child(path, "terminationGracePeriodSeconds"),
          probe.terminationGracePeriodSeconds,
          "must not be set for readinessProbes",
        ),
      );
    } else if (probe.terminationGracePeriodSeconds <= 0) {
      errs.push(
        invalid(
          child(path, "terminationGracePeriodSeconds"),
          probe.terminationGracePeriodSeconds,
          "must be greater than 0",
        ),
      );
    }
  }
  return errs;
}

/** Exactly one handler; lifecycle handlers allow sleep, probes allow grpc. */
function validateHandler(h: Probe | LifecycleHandler, path: string, lifecycle: boolean): FieldError[] {
  const kinds = lifecycle
    ? (["exec", "httpGet", "tcpSocket", "sleep"] as const)
    : (["exec", "httpGet", "tcpSocket", "grpc"] as const);
  const set = kinds.filter(
    (k) => (h as Record<string, unknown>)[k] !== undefined && (h as Record<string, unknown>)[k] !== null,
  );
  if (set.length === 0) return [required(path, "must specify a handler type")];
  const errs: FieldError[] = set
    .slice(1)
    .map((k) => forbidden(child(path, k), "may not specify more than 1 handler type"));
  const hh = h as Probe & LifecycleHandler;
  if (hh.exec && (hh.exec.command ?? []).length === 0) errs.push(required(child(path, "exec", "command")));
  if (hh.httpGet) errs.push(...validateHTTPGet(hh.httpGet, child(path, "httpGet")));
  if (hh.tcpSocket) errs.push(...portNumOrName(hh.tcpSocket.port, child(path, "tcpSocket", "port")));
  if (hh.grpc)
    errs.push(...invalidIf(child(path, "grpc", "port"), hh.grpc.port, isValidPortNum(hh.grpc.port)));
  if (hh.sleep) errs.push(...nonNegative(child(path, "sleep", "seconds"), hh.sleep.seconds));
  return errs;
}

function validateHTTPGet(a: HTTPGetAction, path: string): FieldError[] {
  const errs = portNumOrName(a.port, child(path, "port"));
  errs.push(...oneOfIfSet(child(path, "scheme"), a.scheme, URI_SCHEMES));
  (a.httpHeaders ?? []).forEach((hdr, i) => {
    if (!/^[-A-Za-z0-9!#$%&'*+.^_`|~]+$/.test(hdr.name ?? "")) {
      errs.push(
        invalid(
          child(index(child(path, "httpHeaders"), i), "name"),
          hdr.name,
          "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
        ),
      );
    }
  });
  return errs;
}

function portNumOrName(port: IntOrString | undefined, path: string): FieldError[] {
  if (port === undefined || port === null || port === "") return [required(path)];
  if (typeof port === "number") return invalidIf(path, port, isValidPortNum(port));
  return invalidIf(path, port, isValidPortName(port));
}

function validateSecurityContext(sc: SecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const errs = [
    ...inRange(child(path, "runAsUser"), sc.runAsUser, 0, MAX_INT32),
    ...inRange(child(path, "runAsGroup"), sc.runAsGroup, 0, MAX_INT32),
  ];
  if (sc.allowPrivilegeEscalation === false && sc.privileged === true) {
    errs.push(invalid(path, sc, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
  }
  if (sc.allowPrivilegeEscalation === false && (sc.capabilities?.add ?? []).includes("CAP_SYS_ADMIN")) {
    errs.push(
      invalid(
        path,
        sc,
        "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
      ),
    );
  }
  return errs;
}
