// The pod lifecycle event generator, after the kubelet's generic PLEG: relist the runtime's
// containers every period and tell the pod workers which pods had a container change state (started,
// exited, vanished). Exits are how a crashed container gets noticed within about a second.

import type { Clock } from "../client/index.js";
import { ContainerState } from "../proto/runtime/v1/index.js";
import { every, type Periodic } from "./periodic.js";
import { LABEL_POD_UID, type Runtime } from "./runtime.js";

export interface PlegOptions {
  runtime: Runtime;
  clock: Clock;
  periodMs?: number;
  /** Pods whose containers changed since the last relist. */
  onChange(uids: Set<string>): void;
  /** Every relist: all pod uids that have anything in the runtime (sandboxes or containers). */
  onRelist?(uids: Set<string>): void;
  log(line: Record<string, unknown>): void;
}

export class Pleg {
  private last = new Map<string, { uid: string; state: number }>();
  private loop: Periodic | undefined;
  /** Time of the last successful relist (for /healthz). */
  lastRelist = 0;

  constructor(private readonly opts: PlegOptions) {}

  start(): void {
    const { clock, log } = this.opts;
    this.loop = every(
      clock,
      this.opts.periodMs ?? 1000,
      () => this.relist(),
      (err) => log({ level: "error", msg: "runtime relist failed", err: String(err) }),
      { immediate: true },
    );
  }

  stop(): void {
    this.loop?.stop();
  }

  async relist(): Promise<void> {
    const [{ containers = [] }, { items = [] }] = await Promise.all([
      this.opts.runtime.ListContainers({}),
      this.opts.runtime.ListPodSandbox({}),
    ]);
    const now = new Map<string, { uid: string; state: number }>();
    for (const c of containers) {
      const uid = c.labels?.[LABEL_POD_UID];
      if (uid) now.set(c.id!, { uid, state: c.state ?? ContainerState.CONTAINER_UNKNOWN });
    }
    const changed = new Set<string>();
    for (const [id, c] of now) if (this.last.get(id)?.state !== c.state) changed.add(c.uid);
    for (const [id, c] of this.last) if (!now.has(id)) changed.add(c.uid);
    this.last = now;
    this.lastRelist = this.opts.clock.now();
    if (changed.size) this.opts.onChange(changed);
    const present = new Set([...now.values()].map((c) => c.uid));
    for (const s of items) if (s.labels?.[LABEL_POD_UID]) present.add(s.labels[LABEL_POD_UID]);
    this.opts.onRelist?.(present);
  }
}
