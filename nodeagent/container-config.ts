// From a pod's container spec to the CRI ContainerConfig and PodSandboxConfig: labels that tie the
// runtime objects back to the pod, annotations the agent reads back after a restart, environment
// (literal, ConfigMap/Secret keys, envFrom, downward API), volume mounts (emptyDir, hostPath) and
// resource limits (CPU quota/shares, memory limit), as the kubelet's generateContainerConfig does.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ConfigMap, Container, EnvVar, Pod, Secret } from "../api/index.js";
import { cpuMillis, memoryBytes, RESOURCES } from "../api/index.js";
import { isNotFound, type RestClient } from "../client/index.js";
import {
  type ContainerConfig,
  type KeyValue,
  type Mount,
  NamespaceMode,
  type PodSandboxConfig,
  Protocol,
} from "../proto/runtime/v1/index.js";
import type { StartContainer } from "./pod-actions.js";
import { containerHash } from "./pod-actions.js";
import {
  ANNOTATION_BACKOFF_STEP,
  ANNOTATION_HASH,
  ANNOTATION_RESTART_COUNT,
  LABEL_CONTAINER_NAME,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
} from "./runtime.js";

const CONFIGMAPS = RESOURCES.find((r) => r.kind === "ConfigMap")!;
const SECRETS = RESOURCES.find((r) => r.kind === "Secret")!;

/** A config problem the user must fix (CreateContainerConfigError), not a transient failure. */
export class ContainerConfigError extends Error {}

export function podLabels(pod: Pod): Record<string, string> {
  return {
    [LABEL_POD_NAME]: pod.metadata.name ?? "",
    [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? "",
    [LABEL_POD_UID]: pod.metadata.uid ?? "",
  };
}

export function podLogDir(rootDir: string, pod: Pod): string {
  return join(rootDir, "logs", `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`);
}

export function podVolumesDir(rootDir: string, uid: string): string {
  return join(rootDir, "pods", uid, "volumes");
}

export function sandboxConfig(pod: Pod, attempt: number, rootDir: string): PodSandboxConfig {
  const spec = pod.spec!;
  const ports = [...(spec.initContainers ?? []), ...spec.containers].flatMap((c) => c.ports ?? []);
  return {
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      uid: pod.metadata.uid,
      attempt,
    },
    hostname: spec.hostname ?? pod.metadata.name,
    logDirectory: podLogDir(rootDir, pod),
    portMappings: ports
      .filter((p) => p.hostPort)
      .map((p) => ({
        protocol: p.protocol === "UDP" ? Protocol.UDP : p.protocol === "SCTP" ? Protocol.SCTP : Protocol.TCP,
        containerPort: p.containerPort,
        hostPort: p.hostPort,
        hostIp: p.hostIP ?? "",
      })),
    labels: podLabels(pod),
    annotations: {},
    linux: {
      securityContext: {
        namespaceOptions: {
          network: spec.hostNetwork ? NamespaceMode.NODE : NamespaceMode.POD,
          pid: spec.hostPID ? NamespaceMode.NODE : NamespaceMode.CONTAINER,
          ipc: spec.hostIPC ? NamespaceMode.NODE : NamespaceMode.POD,
        },
      },
    },
  };
}

/** Makes the pod's volumes on the host (idempotent) and returns host paths by volume name. */
export function setUpVolumes(pod: Pod, rootDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const base = podVolumesDir(rootDir, pod.metadata.uid!);
  for (const v of pod.spec?.volumes ?? []) {
    if (v.emptyDir) {
      const dir = join(base, "empty-dir", v.name);
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        if (v.emptyDir.medium === "Memory") {
          const size = v.emptyDir.sizeLimit ? [`-o`, `size=${memoryBytes(v.emptyDir.sizeLimit)}`] : [];
          execFileSync("mount", ["-t", "tmpfs", ...size, "tmpfs", dir]);
        }
      }
      out.set(v.name, dir);
    } else if (v.hostPath) {
      const p = v.hostPath.path;
      const type = v.hostPath.type ?? "";
      if (type === "DirectoryOrCreate") mkdirSync(p, { recursive: true });
      else if (type === "FileOrCreate" && !existsSync(p)) {
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, "");
      } else if (type && !existsSync(p))
        throw new ContainerConfigError(`hostPath volume ${v.name}: ${p} does not exist (type ${type})`);
      out.set(v.name, p);
    }
  }
  return out;
}

/** Removes the pod's emptyDir volumes (unmounting tmpfs ones). */
export function tearDownVolumes(uid: string, rootDir: string): void {
  const dir = join(rootDir, "pods", uid);
  const emptyDirs = join(podVolumesDir(rootDir, uid), "empty-dir");
  if (existsSync(emptyDirs)) {
    try {
      const mounts = execFileSync("findmnt", ["-rn", "-o", "TARGET"], { encoding: "utf8" }).split("\n");
      for (const m of mounts) if (m.startsWith(`${emptyDirs}/`)) execFileSync("umount", ["-l", m]);
    } catch {
      // findmnt missing or nothing mounted: plain directories only
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

function mounts(c: Container, volumes: Map<string, string>): Mount[] {
  return (c.volumeMounts ?? []).map((m) => {
    const host = volumes.get(m.name);
    if (!host)
      throw new ContainerConfigError(`volume "${m.name}" is not supported or not defined in the pod`);
    return {
      containerPath: m.mountPath,
      hostPath: m.subPath ? join(host, m.subPath) : host,
      readonly: !!m.readOnly,
    };
  });
}

export interface EnvContext {
  client: RestClient;
  pod: Pod;
  podIP: string;
  hostIP: string;
}

function fieldRef(path: string, ctx: EnvContext): string {
  const { pod } = ctx;
  switch (path) {
    case "metadata.name":
      return pod.metadata.name ?? "";
    case "metadata.namespace":
      return pod.metadata.namespace ?? "";
    case "metadata.uid":
      return pod.metadata.uid ?? "";
    case "spec.nodeName":
      return pod.spec?.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.podIP":
      return ctx.podIP;
    case "status.hostIP":
      return ctx.hostIP;
  }
  const label = /^metadata\.labels\['(.+)'\]$/.exec(path);
  if (label) return pod.metadata.labels?.[label[1]!] ?? "";
  const ann = /^metadata\.annotations\['(.+)'\]$/.exec(path);
  if (ann) return pod.metadata.annotations?.[ann[1]!] ?? "";
  throw new ContainerConfigError(`unsupported fieldRef ${path}`);
}

async function source(
  ctx: EnvContext,
  kind: "ConfigMap" | "Secret",
  name: string,
  optional: boolean,
): Promise<Record<string, string> | undefined> {
  const ns = ctx.pod.metadata.namespace;
  try {
    if (kind === "ConfigMap")
      return (await ctx.client.get<ConfigMap>(CONFIGMAPS, name, { namespace: ns })).data ?? {};
    const s = await ctx.client.get<Secret>(SECRETS, name, { namespace: ns });
    return Object.fromEntries(
      Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
    if (optional) return undefined;
    throw new ContainerConfigError(`${kind.toLowerCase()} "${name}" not found`);
  }
}

/** The container's environment, in Kubernetes' order: envFrom first, then env (later wins). */
export async function resolveEnv(c: Container, ctx: EnvContext): Promise<[string, string][]> {
  const env = new Map<string, string>();
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref?.name) continue;
    const data = await source(ctx, from.configMapRef ? "ConfigMap" : "Secret", ref.name, !!ref.optional);
    for (const [k, v] of Object.entries(data ?? {})) env.set(`${from.prefix ?? ""}${k}`, v);
  }
  const expand = (s: string) => s.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n) => env.get(n) ?? m);
  for (const e of c.env ?? []) env.set(e.name, await envValue(e, ctx, expand));
  return [...env];
}

async function envValue(e: EnvVar, ctx: EnvContext, expand: (s: string) => string): Promise<string> {
  const from = e.valueFrom;
  if (!from) return expand(e.value ?? "");
  if (from.fieldRef) return fieldRef(from.fieldRef.fieldPath, ctx);
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (ref) {
    const kind = from.configMapKeyRef ? "ConfigMap" : "Secret";
    const data = await source(ctx, kind, ref.name ?? "", !!ref.optional);
    const v = data?.[ref.key];
    if (v === undefined && !ref.optional)
      throw new ContainerConfigError(
        `couldn't find key ${ref.key} in ${kind} ${ctx.pod.metadata.namespace}/${ref.name}`,
      );
    return v ?? "";
  }
  if (from.resourceFieldRef) {
    const r = from.resourceFieldRef.resource;
    const limits = (ctx.pod.spec?.containers ?? []).find((x) => x.env?.includes(e))?.resources?.limits ?? {};
    if (r === "limits.memory") return String(memoryBytes(limits.memory ?? 0));
    if (r === "limits.cpu") return String(Math.ceil(cpuMillis(limits.cpu ?? 0) / 1000));
  }
  throw new ContainerConfigError(`unsupported valueFrom for env ${e.name}`);
}

export function containerConfig(
  pod: Pod,
  c: Container,
  start: StartContainer,
  env: [string, string][],
  volumes: Map<string, string>,
): ContainerConfig {
  const enc = new TextEncoder();
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const cpuLimit = limits.cpu !== undefined ? cpuMillis(limits.cpu) : 0;
  const cpuRequest = requests.cpu !== undefined ? cpuMillis(requests.cpu) : cpuLimit;
  const envs: KeyValue[] = env.map(([key, value]) => ({ key, value: enc.encode(value) }));
  return {
    metadata: { name: c.name, attempt: start.attempt },
    image: { image: c.image ?? "" },
    command: c.command ?? [],
    args: c.args ?? [],
    workingDir: c.workingDir ?? "",
    envs,
    mounts: mounts(c, volumes),
    labels: { ...podLabels(pod), [LABEL_CONTAINER_NAME]: c.name },
    annotations: {
      [ANNOTATION_RESTART_COUNT]: String(start.restartCount),
      [ANNOTATION_BACKOFF_STEP]: String(start.backoffStep),
      [ANNOTATION_HASH]: containerHash(c),
    },
    logPath: join(c.name, `${start.attempt}.log`),
    stdin: !!c.stdin,
    stdinOnce: !!c.stdinOnce,
    tty: !!c.tty,
    linux: {
      resources: {
        cpuPeriod: cpuLimit ? 100_000 : 0,
        cpuQuota: cpuLimit ? Math.max(1000, Math.floor((cpuLimit * 100_000) / 1000)) : 0,
        // Kubernetes' MilliCPUToShares: 2 shares minimum, 1024 per CPU.
        cpuShares: Math.max(2, Math.floor((cpuRequest * 1024) / 1000)),
        memoryLimitInBytes: limits.memory !== undefined ? memoryBytes(limits.memory) : 0,
      },
      securityContext: {
        privileged: !!c.securityContext?.privileged,
        readonlyRootfs: !!c.securityContext?.readOnlyRootFilesystem,
        ...(c.securityContext?.runAsUser !== undefined
          ? { runAsUser: { value: c.securityContext.runAsUser } }
          : {}),
        ...(c.securityContext?.runAsGroup !== undefined
          ? { runAsGroup: { value: c.securityContext.runAsGroup } }
          : {}),
        ...(c.securityContext?.capabilities
          ? {
              capabilities: {
                addCapabilities: c.securityContext.capabilities.add ?? [],
                dropCapabilities: c.securityContext.capabilities.drop ?? [],
              },
            }
          : {}),
      },
    },
  };
}
