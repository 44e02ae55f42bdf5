// What a runtime backend does. The CRI handlers own the bookkeeping (ids, names, states, records on
// disk, logs, exit codes); a backend only turns records into real isolation: runc (OCI bundles,
// namespaces, cgroups), process (plain child processes, no isolation) or sim (nothing runs).
// Every backend is held to the same behaviour by backend.case.test.ts.

import type { ContainerRecord, SandboxRecord } from "../store.js";

export type BackendName = "runc" | "process";

/** How the container monitor starts a container's main process (see monitor/). */
export interface Launch {
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** The process that runs the container writes the container's pid here (runc run --pid-file). */
  pidFile?: string;
  /** A cgroup file whose oom_kill counter the monitor reads when the container exits. */
  oomCounter?: string;
  /** An overlayfs the monitor mounts as the container's rootfs before it runs argv (runc backend). */
  rootfsOverlay?: { target: string; options: string };
  /**
   * TTY exec only: argv makes the container's terminal itself and copies it to and from the
   * terminal it is started on (`runc exec -t` in the foreground), so that one is only a transport.
   */
  relaysTerminal?: boolean;
}

export interface ExecResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
  timedOut: boolean;
}

export interface Usage {
  cpuNanos: number;
  memoryWorkingSetBytes: number;
}

export interface Backend {
  readonly name: BackendName;
  /** False when memory and cpu limits are only recorded, not enforced by the kernel. */
  readonly enforcesLimits: boolean;
  /** Prepares what a pod's containers share (its network namespace); returns the pod IP if any. */
  runSandbox(sandbox: SandboxRecord): Promise<{ ip: string }>;
  /** Releases the sandbox's shared resources; called again on remove, so it must be idempotent. */
  stopSandbox(sandbox: SandboxRecord): Promise<void>;
  /** Prepares the container (bundle, rootfs); nothing runs yet. Undoes its own partial work on error. */
  createContainer(ctr: ContainerRecord, sandbox: SandboxRecord, rootfs: string | undefined): Promise<void>;
  /** The command the monitor runs to start the container. */
  launch(ctr: ContainerRecord, sandbox: SandboxRecord): Promise<Launch>;
  /** Sends a signal to the container's main process (pid as last started). */
  kill(ctr: ContainerRecord, signal: NodeJS.Signals): Promise<void>;
  /** Runs a command inside the running container and collects its output. */
  execSync(ctr: ContainerRecord, cmd: string[], timeoutMs: number): Promise<ExecResult>;
  /** How to start `cmd` inside the running container with its stdio streamed (interactive exec), on a terminal with `tty`. */
  execCommand(ctr: ContainerRecord, cmd: string[], tty: boolean): Launch;
  stats(ctr: ContainerRecord): Promise<Usage>;
  /** Frees everything createContainer and the run made; the container has exited. Idempotent. */
  removeContainer(ctr: ContainerRecord): Promise<void>;
}
