// What the scheduler knows about one node: the Node object, its allocatable resources, and the sum
// of the requests of the pods on it (bound and assumed), kept incrementally as pods come and go —
// after the kube-scheduler's NodeInfo. Plugins read it; only the scheduler cache changes it.

import type { Node, Pod, ResourceList, Taint } from "../../api/index.js";
import { cpuMillis, memoryBytes } from "../../api/index.js";

/** The kube-scheduler's defaults for a container without requests, used only for scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export interface PodRequests {
  milliCPU: number;
  memory: number;
  /** As above, but a container without a cpu/memory request counts the defaults (for scoring). */
  nonZeroMilliCPU: number;
  nonZeroMemory: number;
}

/** A pod with its requests computed once. */
export interface PodInfo {
  key: string;
  pod: Pod;
  requests: PodRequests;
  /** uid of the controller owner (ReplicaSet, ...), for spreading pods of one owner. */
  ownerUid: string | undefined;
}

/**
 * Effective requests, as Kubernetes computes them: the sum over app containers, raised to any
 * single init container's request (init containers run one at a time, before the app), plus the
 * pod overhead. Known limitation: restartable init containers (sidecars) are treated as plain init
 * containers.
 */
export function podRequests(pod: Pod): PodRequests {
  // Informers hand out a new object for every change and cached objects are read-only, so a pod
  // object's requests never change: parse its quantities once (PreFilter and the cache both ask).
  let r = requestsCache.get(pod);
  if (!r) {
    r = computeRequests(pod);
    requestsCache.set(pod, r);
  }
  return r;
}

const requestsCache = new WeakMap<Pod, PodRequests>();

function computeRequests(pod: Pod): PodRequests {
  const r: PodRequests = { milliCPU: 0, memory: 0, nonZeroMilliCPU: 0, nonZeroMemory: 0 };
  for (const c of pod.spec?.containers ?? []) {
    const req = c.resources?.requests;
    const cpu = cpuMillis(req?.cpu);
    const mem = memoryBytes(req?.memory);
    r.milliCPU += cpu;
    r.memory += mem;
    r.nonZeroMilliCPU += req?.cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : cpu;
    r.nonZeroMemory += req?.memory === undefined ? DEFAULT_MEMORY_REQUEST : mem;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const req = c.resources?.requests;
    const cpu = cpuMillis(req?.cpu);
    const mem = memoryBytes(req?.memory);
    r.milliCPU = Math.max(r.milliCPU, cpu);
    r.memory = Math.max(r.memory, mem);
    r.nonZeroMilliCPU = Math.max(r.nonZeroMilliCPU, cpu);
    r.nonZeroMemory = Math.max(r.nonZeroMemory, mem);
  }
  const overhead = pod.spec?.overhead;
  if (overhead) {
    const cpu = cpuMillis(overhead.cpu);
    const mem = memoryBytes(overhead.memory);
    r.milliCPU += cpu;
    r.memory += mem;
    r.nonZeroMilliCPU += cpu;
    r.nonZeroMemory += mem;
  }
  return r;
}

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`;
}

export function podInfoFor(pod: Pod): PodInfo {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  return { key: podKey(pod), pod, requests: podRequests(pod), ownerUid: owner?.uid };
}

export interface Allocatable {
  milliCPU: number;
  memory: number;
  pods: number;
}

function allocatableOf(list: ResourceList | undefined): Allocatable {
  return {
    milliCPU: cpuMillis(list?.cpu),
    memory: memoryBytes(list?.memory),
    pods: list?.pods === undefined ? 0 : memoryBytes(list.pods),
  };
}

const NO_TAINTS: readonly Taint[] = [];

export class NodeInfo {
  /** Undefined while pods are known on a node the node informer has not delivered yet. */
  node: Node | undefined;
  allocatable: Allocatable = { milliCPU: 0, memory: 0, pods: 0 };
  /** Read from the Node object once per change, since the filters ask for every pod. */
  ready = false;
  unschedulable = false;
  taints: readonly Taint[] = NO_TAINTS;
  /** Sum of the pods' requests (for fitting). */
  requestedMilliCPU = 0;
  requestedMemory = 0;
  /** Sum with request-less containers counted at the defaults (for scoring). */
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;
  readonly pods = new Map<string, PodInfo>();
  /** Pods per controller owner uid. */
  readonly ownerCounts = new Map<string, number>();

  constructor(
    readonly name: string,
    node?: Node,
  ) {
    if (node) this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    // Kubernetes schedules against allocatable (capacity minus system reservations); capacity is
    // the fallback for hand-written Node objects that only give capacity.
    this.allocatable = allocatableOf(node.status?.allocatable ?? node.status?.capacity);
    this.ready = (node.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
    this.unschedulable = node.spec?.unschedulable === true;
    this.taints = node.spec?.taints ?? NO_TAINTS;
  }

  addPod(pi: PodInfo): void {
    if (this.pods.has(pi.key)) this.removePod(pi.key);
    this.pods.set(pi.key, pi);
    this.add(pi, 1);
  }

  removePod(key: string): PodInfo | undefined {
    const pi = this.pods.get(key);
    if (!pi) return undefined;
    this.pods.delete(key);
    this.add(pi, -1);
    return pi;
  }

  private add(pi: PodInfo, sign: 1 | -1): void {
    const r = pi.requests;
    this.requestedMilliCPU += sign * r.milliCPU;
    this.requestedMemory += sign * r.memory;
    this.nonZeroMilliCPU += sign * r.nonZeroMilliCPU;
    this.nonZeroMemory += sign * r.nonZeroMemory;
    if (pi.ownerUid) {
      const n = (this.ownerCounts.get(pi.ownerUid) ?? 0) + sign;
      if (n > 0) this.ownerCounts.set(pi.ownerUid, n);
      else this.ownerCounts.delete(pi.ownerUid);
    }
  }
}
