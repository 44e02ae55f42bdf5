// Namespace deletion, as Kubernetes' namespace controller does it: DELETE marks the namespace
// Terminating (deletionTimestamp, status.phase) while its spec.finalizers still hold "kubernetes";
// this loop then deletes every object in it (pods gracefully, so they stop on their nodes first)
// and, once nothing is left, drops the "kubernetes" finalizer and removes the namespace.
// New content is refused meanwhile (the registry's namespace check).

import type { KubeObject } from "../api/index.js";
import { RESOURCES, resourceFor } from "../api/resources.js";
import { ApiError } from "./errors.js";
import type { Registry } from "./registry.js";

const NAMESPACES = resourceFor("", "namespaces")!;
export const NAMESPACE_FINALIZER = "kubernetes";

/** What a namespace delete stores: Terminating, with the content finalizer still in place. */
export function markTerminating(ns: KubeObject, now: string): KubeObject {
  const spec = { ...((ns.spec ?? {}) as { finalizers?: string[] }) };
  return {
    ...ns,
    metadata: {
      ...ns.metadata,
      deletionTimestamp: ns.metadata.deletionTimestamp ?? now,
      deletionGracePeriodSeconds: 0,
    },
    spec,
    status: { ...((ns.status ?? {}) as object), phase: "Terminating" },
  };
}

export class NamespaceLifecycle {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly registry: Registry,
    private readonly log: (line: Record<string, unknown>) => void = () => {},
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.pass(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over every terminating namespace. Safe to call at any time; passes never overlap. */
  async pass(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      // The watch cache says which namespaces are terminating, so an idle tick costs no etcd read.
      const terminating = this.registry.cache
        .for(NAMESPACES)
        .snapshot((ns) => Boolean(ns.metadata.deletionTimestamp));
      for (const ns of terminating.items) await this.finalize(ns);
    } catch (err) {
      this.log({ level: "warn", msg: "namespace finalization pass failed", err: (err as Error).message });
    } finally {
      this.running = false;
    }
  }

  private async finalize(ns: KubeObject): Promise<void> {
    const name = ns.metadata.name!;
    let remaining = 0;
    for (const r of RESOURCES) {
      if (!r.namespaced) continue;
      const page = await this.registry.list(r, { namespace: name });
      for (const obj of page.items) {
        remaining++;
        if (obj.metadata.deletionTimestamp && r.kind !== "Pod") continue;
        try {
          await this.registry.delete(r, name, obj.metadata.name!, { propagationPolicy: "Background" });
        } catch (err) {
          if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
        }
      }
    }
    if (remaining > 0) return;
    // Empty: release the content finalizer; the registry removes the namespace when none are left.
    await this.registry.guaranteedUpdate(
      NAMESPACES,
      undefined,
      name,
      (cur) => {
        const spec = (cur.spec ?? {}) as { finalizers?: string[] };
        const finalizers = (spec.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER);
        return { ...cur, spec: { ...spec, finalizers } };
      },
      { internal: true },
    );
    this.log({ level: "info", msg: "namespace finalized", namespace: name });
  }
}
