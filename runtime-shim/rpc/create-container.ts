// CreateContainer: validates the request, resolves the process from the request and the image's
// config (Kubernetes' command/args over the image's Entrypoint/Cmd), records the container and lets
// the backend prepare it. Nothing runs until StartContainer.

import { mkdirSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import type {
  ContainerConfig,
  CreateContainerRequest,
  CreateContainerResponse,
} from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../errors.js";
import { containerName, newId } from "../ids.js";
import type { ImageConfig } from "../images/image-store.js";
import { getSandbox } from "../lookup.js";
import type { ContainerRecord, ContainerSpec } from "../store.js";
import { Undo } from "../undo.js";

export async function createContainer(
  ctx: ShimContext,
  req: CreateContainerRequest,
): Promise<CreateContainerResponse> {
  const sandbox = getSandbox(ctx, req.podSandboxId);
  const config = req.config;
  if (!config?.metadata?.name) throw invalidArgument("container config needs metadata.name");
  if (!config.image?.image) throw invalidArgument(`container ${config.metadata.name} needs an image`);
  if (sandbox.state !== "ready")
    throw failedPrecondition(
      `pod sandbox ${sandbox.id} is not ready: containers can be created only in a ready sandbox`,
    );
  const name = containerName(config.metadata, sandbox.config.metadata!);
  for (const c of ctx.store.containers.values())
    if (
      c.sandboxId === sandbox.id &&
      containerName({ name: c.spec.name, attempt: c.spec.attempt }, sandbox.config.metadata!) === name
    )
      throw alreadyExists(`container ${name} already exists as ${c.id}`);
  const image = ctx.images.find(config.image.image);
  if (!image) throw notFound(`image "${config.image.image}" is not present on this node: pull it first`);

  const spec = toSpec(config, sandbox.config.logDirectory ?? "");
  const argv = resolveArgv(spec, image.config);
  if (argv.length === 0)
    throw invalidArgument(
      `container ${spec.name} has no command, and image ${config.image.image} has no entrypoint or cmd`,
    );
  const id = newId();
  const record: ContainerRecord = {
    id,
    sandboxId: sandbox.id,
    spec: { ...spec, logPath: spec.logPath || join(ctx.store.containerDir(id), "container.log") },
    imageId: image.id,
    rootfs: image.rootfs,
    argv,
    env: mergeEnv(image.config.Env ?? [], spec.env),
    cwd: spec.workingDir || image.config.WorkingDir || "/",
    state: "created",
    createdAt: ctx.now(),
    startedAt: 0,
    finishedAt: 0,
    exitCode: 0,
    reason: "",
    message: "",
    pid: 0,
    monitorPid: 0,
  };
  return new Undo().run(async (undo) => {
    mkdirSync(dirname(record.spec.logPath), { recursive: true });
    undo.add(() => ctx.store.deleteContainer(id));
    ctx.store.saveContainer(record);
    undo.add(() => ctx.backend.removeContainer(record));
    await ctx.backend.createContainer(record, sandbox, image.rootfs);
    return { containerId: id };
  });
}

function toSpec(config: ContainerConfig, logDirectory: string): ContainerSpec {
  const decoder = new TextDecoder();
  for (const m of config.mounts ?? []) {
    if (!m.containerPath || !isAbsolute(m.containerPath))
      throw invalidArgument(`mount container path "${m.containerPath ?? ""}" must be absolute`);
    if (!m.hostPath || !isAbsolute(m.hostPath))
      throw invalidArgument(`mount host path "${m.hostPath ?? ""}" must be absolute`);
  }
  const logPath = config.logPath ? (logDirectory ? join(logDirectory, config.logPath) : config.logPath) : "";
  if (logPath && !isAbsolute(logPath))
    throw invalidArgument(`log path "${logPath}" must be absolute (set the sandbox's log directory)`);
  return {
    name: config.metadata!.name!,
    attempt: config.metadata!.attempt ?? 0,
    image: config.image!,
    command: config.command ?? [],
    args: config.args ?? [],
    workingDir: config.workingDir ?? "",
    env: (config.envs ?? []).map((kv) => [kv.key ?? "", decoder.decode(kv.value ?? new Uint8Array())]),
    mounts: config.mounts ?? [],
    labels: config.labels ?? {},
    annotations: config.annotations ?? {},
    logPath,
    resources: config.linux?.resources ?? {},
    security: config.linux?.securityContext ?? {},
    stopSignal: config.stopSignal ?? 0,
  };
}

/** Kubernetes' rule: command replaces the entrypoint (and drops Cmd); args alone replace Cmd. */
export function resolveArgv(spec: Pick<ContainerSpec, "command" | "args">, image: ImageConfig): string[] {
  if (spec.command.length) return [...spec.command, ...spec.args];
  return [...(image.Entrypoint ?? []), ...(spec.args.length ? spec.args : (image.Cmd ?? []))];
}

function mergeEnv(imageEnv: string[], env: [string, string][]): string[] {
  const merged = new Map<string, string>();
  for (const e of imageEnv) {
    const eq = e.indexOf("=");
    merged.set(eq < 0 ? e : e.slice(0, eq), eq < 0 ? "" : e.slice(eq + 1));
  }
  for (const [k, v] of env) merged.set(k, v);
  return [...merged].map(([k, v]) => `${k}=${v}`);
}
