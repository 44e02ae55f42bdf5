// The container log manager loop (the kubelet's, every 10 s): looks at each running container's log
// and rotates it when it has grown too large (log-rotation.ts decides and does it for one log).

import type { Clock } from "../client/index.js";
import { ContainerState } from "../proto/runtime/v1/index.js";
import { type RotationLimits, rotateContainerLog, rotationLimitsProblem } from "./log-rotation.js";
import { every, type Periodic } from "./periodic.js";
import type { Runtime } from "./runtime.js";

export interface ContainerLogManagerOptions {
  runtime: Runtime;
  clock: Clock;
  limits: RotationLimits;
  /** How often logs are looked at (kubelet: 10 s). */
  periodMs?: number;
  log(line: Record<string, unknown>): void;
}

export class ContainerLogManager {
  private loop: Periodic | undefined;

  /** Throws when the limits cannot be kept (fewer than 2 files, no size). */
  constructor(private readonly opts: ContainerLogManagerOptions) {
    const problem = rotationLimitsProblem(opts.limits);
    if (problem) throw new Error(problem);
  }

  start(): void {
    this.loop = every(
      this.opts.clock,
      this.opts.periodMs ?? 10_000,
      () => this.round(),
      (err) => this.opts.log({ level: "warn", msg: "container log rotation failed", err: String(err) }),
    );
  }

  stop(): void {
    this.loop?.stop();
  }

  private async round(): Promise<void> {
    const { runtime, limits, clock, log } = this.opts;
    const { containers = [] } = await runtime.ListContainers({
      filter: { state: { state: ContainerState.CONTAINER_RUNNING } },
    });
    for (const c of containers) {
      const status = (await runtime.ContainerStatus({ containerId: c.id }).catch(() => undefined))?.status;
      if (!status?.logPath || status.state !== ContainerState.CONTAINER_RUNNING) continue;
      try {
        const did = await rotateContainerLog(
          status.logPath,
          limits,
          () => runtime.ReopenContainerLog({ containerId: c.id }),
          new Date(clock.now()),
        );
        if (did.rotatedTo || did.removed.length) {
          log({
            level: "info",
            msg: "container log rotated",
            container: c.id,
            to: did.rotatedTo,
            removed: did.removed,
          });
        }
      } catch (err) {
        // One container's trouble (it stopped meanwhile, a full disk) does not stop the others'.
        log({ level: "warn", msg: "container log rotation failed", container: c.id, err: String(err) });
      }
    }
  }
}
