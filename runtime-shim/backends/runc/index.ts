// The runc backend: one OCI bundle per container (config.json from oci/container-spec.ts, an
// overlayfs rootfs over the image), one network namespace per pod, a cgroup per container (v1 or v2, cgroups.ts).
// `runc run --keep` in the foreground, under the container monitor, is the container's parent, so the
// exit status is exact, stdio reaches the CRI log, and the cgroup outlives the process long enough
// for the monitor to read whether the OOM killer ended it.

import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { containerSpec } from "../../oci/container-spec.js";
import type { ContainerRecord, SandboxRecord } from "../../store.js";
import { Undo } from "../../undo.js";
import type { Backend, ExecResult, Launch, Usage } from "../backend.js";
import { runCollect } from "../exec-collect.js";
import { Cgroups } from "./cgroups.js";
import { Cni, type PodNetwork } from "./cni.js";
import { createNetns, deleteNetns, netnsPath } from "./netns.js";
import { overlayOptions, overlaySupported, prepareRootfs, unmountRootfs } from "./rootfs.js";

const run = promisify(execFile);

export interface RuncOptions {
  /** The shim's root; runc keeps its state in <root>/runc and bundles live in <root>/containers/<id>. */
  root: string;
  runc?: string;
  /** The node's pod CIDR for CNI host-local IPAM (default 10.88.0.0/16, as containerd's default). */
  podCidr?: string;
  /** The node's CNI bridge device (default k8ts0). */
  cniBridge?: string;
  /** Where the CNI plugin binaries are (default /usr/lib/cni, Debian's containernetworking-plugins). */
  cniBinDir?: string;
}

export class RuncBackend implements Backend {
  readonly name = "runc" as const;
  readonly enforcesLimits = true;
  private readonly runc: string;
  private readonly stateDir: string;
  private readonly containersDir: string;
  private readonly cni: Cni;

  private constructor(
    options: RuncOptions,
    private readonly cgroups: Cgroups,
    /** overlayfs works here (rootfs.ts); otherwise each container gets a copy of its image. */
    private readonly overlay: boolean,
  ) {
    this.runc = options.runc ?? "runc";
    this.stateDir = join(options.root, "runc");
    this.containersDir = join(options.root, "containers");
    mkdirSync(this.stateDir, { recursive: true });
    this.cni = new Cni({
      podCidr: options.podCidr ?? "10.88.0.0/16",
      bridge: options.cniBridge ?? "k8ts0",
      binDir: options.cniBinDir ?? "/usr/lib/cni",
      stateDir: join(options.root, "cni"),
    });
  }

  static async create(options: RuncOptions): Promise<RuncBackend> {
    if (process.getuid?.() !== 0)
      throw new Error("the runc backend needs root; use --backend process otherwise");
    mkdirSync(options.root, { recursive: true });
    return new RuncBackend(options, Cgroups.detect(), await overlaySupported(options.root));
  }

  /** hostNetwork pods use the node's namespace and have no IP of their own here (the node's IP is theirs). */
  async runSandbox(sandbox: SandboxRecord): Promise<{ ip: string }> {
    if (sandbox.hostNetwork) return { ip: "" };
    const netns = await createNetns(sandbox.id);
    return { ip: await this.cni.add(podNetwork(sandbox, netns)) };
  }

  async stopSandbox(sandbox: SandboxRecord): Promise<void> {
    if (sandbox.hostNetwork) return;
    await this.cni.del(podNetwork(sandbox, netnsPath(sandbox.id)));
    await deleteNetns(sandbox.id);
  }

  async createContainer(
    ctr: ContainerRecord,
    sandbox: SandboxRecord,
    rootfs: string | undefined,
  ): Promise<void> {
    if (!rootfs) throw new Error(`container ${ctr.id} has no image rootfs`);
    const dir = this.bundle(ctr.id);
    await new Undo().run(async (undo) => {
      undo.add(() => unmountRootfs(dir, join(dir, "rootfs")));
      await prepareRootfs(rootfs, dir, join(dir, "rootfs"), this.overlay);
      const spec = containerSpec(ctr, sandbox, {
        netnsPath: sandbox.hostNetwork ? "" : netnsPath(sandbox.id),
        cgroupsPath: this.cgroups.cgroupsPath(ctr.id),
      });
      writeFileSync(join(dir, "config.json"), JSON.stringify(spec, null, 2));
    });
  }

  async launch(ctr: ContainerRecord): Promise<Launch> {
    const pidFile = join(this.bundle(ctr.id), "runc.pid");
    rmSync(pidFile, { force: true });
    return {
      argv: [
        this.runc,
        "--root",
        this.stateDir,
        "run",
        "--keep",
        "--bundle",
        this.bundle(ctr.id),
        "--pid-file",
        pidFile,
        ctr.id,
      ],
      env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin" },
      cwd: this.bundle(ctr.id),
      pidFile,
      oomCounter: this.cgroups.oomCounter(ctr.id),
      rootfsOverlay:
        this.overlay && ctr.rootfs
          ? {
              target: join(this.bundle(ctr.id), "rootfs"),
              options: overlayOptions(ctr.rootfs, this.bundle(ctr.id)),
            }
          : undefined,
    };
  }

  async kill(ctr: ContainerRecord, signal: NodeJS.Signals): Promise<void> {
    try {
      await run(this.runc, [
        "--root",
        this.stateDir,
        "kill",
        ...(signal === "SIGKILL" ? ["--all"] : []),
        ctr.id,
        signal,
      ]);
    } catch (e) {
      const msg = String((e as { stderr?: string }).stderr ?? e);
      // The container may have exited on its own in the meantime.
      if (!/not running|does not exist|container not running|process already finished/.test(msg))
        throw new Error(`runc kill: ${msg.trim()}`);
    }
  }

  async execSync(ctr: ContainerRecord, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    const pidFile = join(this.bundle(ctr.id), `exec-${process.hrtime.bigint()}.pid`);
    try {
      return await runCollect(
        [this.runc, "--root", this.stateDir, "exec", "--pid-file", pidFile, ctr.id, ...cmd],
        {
          timeoutMs,
          // runc exec cannot pass SIGKILL on, so a timed-out command is killed by its own pid.
          onTimeout: () => killPidFile(pidFile),
        },
      );
    } finally {
      rmSync(pidFile, { force: true });
    }
  }

  execCommand(ctr: ContainerRecord, cmd: string[], tty: boolean): Launch {
    // With -t in the foreground, runc makes the container's terminal, relays it to its own and
    // passes on SIGWINCH as a resize; TERM=xterm as containerd sets it for a TTY.
    const terminal = tty ? ["-t", "--env", "TERM=xterm"] : [];
    return {
      argv: [this.runc, "--root", this.stateDir, "exec", ...terminal, ctr.id, ...cmd],
      env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", TERM: "xterm" },
      relaysTerminal: tty,
    };
  }

  async stats(ctr: ContainerRecord): Promise<Usage> {
    const u = this.cgroups.usage(ctr.id);
    return { cpuNanos: u.cpuNanos, memoryWorkingSetBytes: u.workingSetBytes };
  }

  async removeContainer(ctr: ContainerRecord): Promise<void> {
    try {
      await run(this.runc, ["--root", this.stateDir, "delete", "--force", ctr.id]);
    } catch {
      // Never created, or already deleted when `runc run` ended.
    }
    const dir = this.bundle(ctr.id);
    await unmountRootfs(dir, join(dir, "rootfs"));
    this.cgroups.remove(ctr.id);
  }

  private bundle(id: string): string {
    return join(this.containersDir, id);
  }
}

function podNetwork(sandbox: SandboxRecord, netns: string): PodNetwork {
  return {
    sandboxId: sandbox.id,
    netnsPath: netns,
    podName: sandbox.config.metadata?.name ?? "",
    podNamespace: sandbox.config.metadata?.namespace ?? "",
    portMappings: sandbox.config.portMappings ?? [],
  };
}

function killPidFile(pidFile: string): void {
  try {
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    if (pid > 0) process.kill(pid, "SIGKILL");
  } catch {
    // Not started yet, or already gone.
  }
}
