// The controller manager: one process running the reconcilers over shared informers, after
// kube-controller-manager. It starts the informers, waits for their caches, then runs every
// controller's workers; stop() undoes all of it. Leader election and /metrics live in the verb
// (cli/commands/controllers.ts), which calls this once it leads.

import {
  type Clock,
  type Controller,
  type ControllerObserver,
  InformerFactory,
  type RestClient,
  realClock,
} from "../client/index.js";
import { type ControllerContext, type Log, noRecorder, type Recorder, SharedInformers } from "./context.js";
import { DeploymentController } from "./deployment.js";
import { GarbageCollector } from "./garbage-collector.js";
import { NodeLifecycleController, type NodeLifecycleOptions } from "./node-lifecycle.js";
import { ReplicaSetController } from "./replicaset.js";

export const CONTROLLER_NAMES = ["replicaset", "deployment", "garbagecollector", "nodelifecycle"] as const;
export type ControllerName = (typeof CONTROLLER_NAMES)[number];

export interface ManagerOptions {
  client: RestClient;
  /** Which controllers to run; all when omitted. */
  controllers?: readonly ControllerName[];
  recorder?: Recorder;
  clock?: Clock;
  log?: Log;
  observer?: ControllerObserver;
  nodeLifecycle?: NodeLifecycleOptions;
  /** Informer resync period; 5 minutes when omitted (0 disables). */
  resyncPeriodMs?: number;
}

export interface RunningControllers {
  readonly controllers: readonly Controller[];
  stop(): Promise<void>;
}

export async function startControllers(opts: ManagerOptions): Promise<RunningControllers> {
  const log = opts.log ?? (() => {});
  const clock = opts.clock ?? realClock;
  const factory = new InformerFactory(opts.client, {
    resyncPeriodMs: opts.resyncPeriodMs ?? 5 * 60_000,
    clock,
    onError: (err) => log({ level: "warn", msg: "informer", error: String(err) }),
  });
  const ctx: ControllerContext = {
    client: opts.client,
    informers: new SharedInformers(factory),
    recorder: opts.recorder ?? noRecorder,
    clock,
    log,
    observer: opts.observer,
  };
  const wanted = new Set<ControllerName>(opts.controllers ?? CONTROLLER_NAMES);
  const controllers: Controller[] = [];
  if (wanted.has("replicaset")) controllers.push(new ReplicaSetController(ctx).controller);
  if (wanted.has("deployment")) controllers.push(new DeploymentController(ctx).controller);
  if (wanted.has("garbagecollector")) controllers.push(new GarbageCollector(ctx).controller);
  if (wanted.has("nodelifecycle")) {
    controllers.push(new NodeLifecycleController(ctx, opts.nodeLifecycle).controller);
  }

  factory.start();
  if (!(await factory.waitForSync())) {
    await factory.stop();
    throw new Error("informers stopped before their caches synced");
  }
  const runs = controllers.map((c) => c.run());
  log({ level: "info", msg: "controllers running", controllers: controllers.map((c) => c.name) });
  return {
    controllers,
    async stop() {
      await Promise.all(controllers.map((c) => c.stop()));
      await Promise.all(runs);
      await factory.stop();
    },
  };
}
