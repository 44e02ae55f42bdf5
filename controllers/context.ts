// What every controller in the process shares: one API client, one informer per resource (after
// kube-controller-manager's shared informers, so the ReplicaSet, Deployment and garbage collector
// controllers read one pod watch), the standard indexes on them, an event recorder and a clock.

import type { Deployment, KubeObject, Lease, Node, Pod, ReplicaSet, ResourceType } from "../api/index.js";
import { apiVersionOf, resourceFor } from "../api/index.js";
import {
  type Clock,
  Controller,
  type ControllerObserver,
  type Indexers,
  type Informer,
  type InformerFactory,
  NAMESPACE_INDEX,
  namespaceIndex,
  type Reconciler,
  type RestClient,
} from "../client/index.js";

function resource(group: string, plural: string): ResourceType {
  const r = resourceFor(group, plural);
  if (!r) throw new Error(`resource ${plural}.${group} is not in the registry`);
  return r;
}

export const PODS = resource("", "pods");
export const NODES = resource("", "nodes");
export const LEASES = resource("coordination.k8s.io", "leases");
export const DEPLOYMENTS = resource("apps", "deployments");
export const REPLICASETS = resource("apps", "replicasets");

/** Index of objects by the uid of their controlling owner (ownerReferences[controller=true]). */
export const CONTROLLER_UID_INDEX = "controllerUID";
/** Index of objects by the uid of every owner they name. */
export const OWNER_UID_INDEX = "ownerUID";
/** Index of objects by their own uid. */
export const UID_INDEX = "uid";
/** Index of pods by spec.nodeName. */
export const NODE_NAME_INDEX = "nodeName";

const STANDARD_INDEXES: Indexers<KubeObject> = {
  [NAMESPACE_INDEX]: namespaceIndex,
  [CONTROLLER_UID_INDEX]: (o) => {
    const ref = o.metadata.ownerReferences?.find((r) => r.controller);
    return ref ? [ref.uid] : [];
  },
  [OWNER_UID_INDEX]: (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid),
  [UID_INDEX]: (o) => (o.metadata.uid ? [o.metadata.uid] : []),
};

/** The event sink controllers write to; client/EventRecorder fits it. */
export interface Recorder {
  event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string): void;
}

export const noRecorder: Recorder = { event() {} };

/**
 * Events about objects of one resource. Listed objects carry no apiVersion/kind (as in Kubernetes),
 * and an Event's involvedObject needs both for `kubectl describe` to find it: fill them in here.
 */
export function recorderFor(ctx: ControllerContext, r: ResourceType): Recorder {
  const apiVersion = apiVersionOf(r);
  return {
    event: (obj, type, reason, message) =>
      ctx.recorder.event(obj.kind ? obj : { ...obj, apiVersion, kind: r.kind }, type, reason, message),
  };
}

/** Structured log line sink; the verb writes JSON lines, tests may ignore them. */
export type Log = (line: Record<string, unknown>) => void;

export interface ControllerContext {
  client: RestClient;
  informers: SharedInformers;
  recorder: Recorder;
  clock: Clock;
  log: Log;
  /** Reconcile metrics; the manager passes its Prometheus observer. */
  observer?: ControllerObserver;
}

/** The queue and workers of one reconciler, with the context's clock and metrics observer. */
export function runnerFor(
  ctx: ControllerContext,
  name: string,
  reconcile: Reconciler,
  workers: number,
): Controller {
  return new Controller({ name, reconcile, workers, clock: ctx.clock, observer: ctx.observer });
}

/**
 * Lazily made informers with the standard indexes (namespace, owner and controller uid, uid; pods
 * also by node name), each made once per process.
 */
export class SharedInformers {
  private readonly made = new Map<string, Informer<KubeObject>>();

  constructor(readonly factory: InformerFactory) {}

  forResource<T extends KubeObject>(r: ResourceType): Informer<T> {
    const key = `${r.group}/${r.plural}`;
    let inf = this.made.get(key);
    if (!inf) {
      const indexers: Indexers<KubeObject> = { ...STANDARD_INDEXES };
      if (r.kind === "Pod") {
        indexers[NODE_NAME_INDEX] = (o) => {
          const node = (o as Pod).spec?.nodeName;
          return node ? [node] : [];
        };
      }
      inf = this.factory.informerFor<KubeObject>(r, {}, indexers);
      this.made.set(key, inf);
    }
    return inf as unknown as Informer<T>;
  }

  pods(): Informer<Pod> {
    return this.forResource<Pod>(PODS);
  }
  replicaSets(): Informer<ReplicaSet> {
    return this.forResource<ReplicaSet>(REPLICASETS);
  }
  deployments(): Informer<Deployment> {
    return this.forResource<Deployment>(DEPLOYMENTS);
  }
  nodes(): Informer<Node> {
    return this.forResource<Node>(NODES);
  }
  leases(): Informer<Lease> {
    return this.forResource<Lease>(LEASES);
  }
}
