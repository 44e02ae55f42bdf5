// The shim's records of sandboxes and containers, kept on disk under <root>/sandboxes/<id>/ and
// <root>/containers/<id>/ so a restarted shim finds everything again (see recover.ts). Each record is
// one JSON file replaced atomically; the in-memory maps are only a cache of those files.

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type {
  ImageSpec,
  LinuxContainerResources,
  LinuxContainerSecurityContext,
  Mount,
  PodSandboxConfig,
} from "../proto/runtime/v1/index.js";

export type SandboxPhase = "ready" | "notready";

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  runtimeHandler: string;
  state: SandboxPhase;
  /** Nanoseconds since the Unix epoch, as CRI reports times. */
  createdAt: number;
  hostNetwork: boolean;
  ip: string;
}

/** What CreateContainer asked for, normalised (env values decoded to strings). */
export interface ContainerSpec {
  name: string;
  attempt: number;
  image: ImageSpec;
  command: string[];
  args: string[];
  workingDir: string;
  env: [string, string][];
  mounts: Mount[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  logPath: string;
  resources: LinuxContainerResources;
  security: LinuxContainerSecurityContext;
  stopSignal: number;
}

export type ContainerPhase = "created" | "running" | "exited";

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  spec: ContainerSpec;
  /** The image's id ("sha256:...") and unpacked root filesystem, fixed at create. */
  imageId: string;
  rootfs: string;
  /** The process to run, resolved at create from the request and the image's config. */
  argv: string[];
  env: string[];
  cwd: string;
  state: ContainerPhase;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  /** The container's main process as seen from the host, while it runs. */
  pid: number;
  /** The monitor process that owns the container's stdio and reports its exit. */
  monitorPid: number;
}

function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}

function readRecords<T>(dir: string, file: string): T[] {
  const out: T[] = [];
  for (const id of readdirSync(dir)) {
    try {
      out.push(JSON.parse(readFileSync(join(dir, id, file), "utf8")) as T);
    } catch {
      // A directory without a complete record is a create that died half-way; recover.ts removes it.
    }
  }
  return out;
}

export class Store {
  readonly sandboxes = new Map<string, SandboxRecord>();
  readonly containers = new Map<string, ContainerRecord>();
  private readonly sandboxRoot: string;
  private readonly containerRoot: string;

  constructor(root: string) {
    this.sandboxRoot = join(root, "sandboxes");
    this.containerRoot = join(root, "containers");
    mkdirSync(this.sandboxRoot, { recursive: true });
    mkdirSync(this.containerRoot, { recursive: true });
    for (const s of readRecords<SandboxRecord>(this.sandboxRoot, "sandbox.json")) this.sandboxes.set(s.id, s);
    for (const c of readRecords<ContainerRecord>(this.containerRoot, "container.json"))
      this.containers.set(c.id, c);
  }

  sandboxDir(id: string): string {
    return join(this.sandboxRoot, id);
  }

  containerDir(id: string): string {
    return join(this.containerRoot, id);
  }

  /** Directories left by creates that never wrote their record. */
  orphanDirs(): string[] {
    const sandboxes = readdirSync(this.sandboxRoot).filter((id) => !this.sandboxes.has(id));
    const containers = readdirSync(this.containerRoot).filter((id) => !this.containers.has(id));
    return [...sandboxes.map((id) => this.sandboxDir(id)), ...containers.map((id) => this.containerDir(id))];
  }

  saveSandbox(s: SandboxRecord): void {
    mkdirSync(this.sandboxDir(s.id), { recursive: true });
    writeJson(join(this.sandboxDir(s.id), "sandbox.json"), s);
    this.sandboxes.set(s.id, s);
  }

  deleteSandbox(id: string): void {
    rmSync(this.sandboxDir(id), { recursive: true, force: true });
    this.sandboxes.delete(id);
  }

  saveContainer(c: ContainerRecord): void {
    mkdirSync(this.containerDir(c.id), { recursive: true });
    writeJson(join(this.containerDir(c.id), "container.json"), c);
    this.containers.set(c.id, c);
  }

  deleteContainer(id: string): void {
    rmSync(this.containerDir(id), { recursive: true, force: true });
    this.containers.delete(id);
  }
}
