// One informer per resource and scope, shared by every controller in a process, after client-go's
// SharedInformerFactory: the controller manager runs the Deployment, ReplicaSet and garbage
// collector controllers over one pod watch instead of three.

import type { KubeObject } from "../api/index.js";
import type { Indexers } from "./cache.js";
import type { Clock } from "./clock.js";
import { Informer, listerWatcherFor } from "./informer.js";
import type { ResourceRef, RestClient } from "./rest.js";

export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface InformerFactoryOptions {
  /** Resync period of every informer made here; none when omitted. */
  resyncPeriodMs?: number;
  clock?: Clock;
  onError?(err: unknown): void;
}

export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(
    private readonly client: RestClient,
    private readonly opts: InformerFactoryOptions = {},
  ) {}

  /**
   * The informer for `resource` in `scope`, made on first request. Indexers given here are added to
   * it (names must not clash with another caller's). Informers requested after `start()` start at once.
   */
  informerFor<T extends KubeObject>(
    resource: ResourceRef,
    scope: InformerScope = {},
    indexers: Indexers<T> = {},
  ): Informer<T> {
    const key = [
      resource.group,
      resource.version,
      resource.plural,
      scope.namespace ?? "",
      scope.labelSelector ?? "",
      scope.fieldSelector ?? "",
    ].join("|");
    let informer = this.informers.get(key) as Informer<T> | undefined;
    if (!informer) {
      informer = new Informer<T>({
        name: resource.plural,
        listerWatcher: listerWatcherFor<T>(this.client, resource, scope),
        resyncPeriodMs: this.opts.resyncPeriodMs,
        clock: this.opts.clock,
        onError: this.opts.onError,
      });
      this.informers.set(key, informer as unknown as Informer<KubeObject>);
      if (this.started) informer.start();
    }
    informer.addIndexers(indexers);
    return informer;
  }

  start(): void {
    this.started = true;
    for (const i of this.informers.values()) i.start();
  }

  /** True once every informer made so far has synced; false if any stopped first. */
  async waitForSync(): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
    return results.every(Boolean);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
