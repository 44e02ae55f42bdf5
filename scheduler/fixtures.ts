// Node and Pod objects for the scheduler's tests and benchmark (not exported from index.ts).

import type { Affinity, Node, Pod, Taint, Toleration } from "../api/index.js";

export interface NodeSpecOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  ready?: boolean;
}

export function makeNode(name: string, o: NodeSpecOptions = {}): Node {
  const resources = { cpu: o.cpu ?? "4", memory: o.memory ?? "8Gi", pods: o.pods ?? "110" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True", reason: "KubeletReady" }],
    },
  };
}

export interface PodSpecOptions {
  namespace?: string;
  cpu?: string;
  memory?: string;
  nodeName?: string;
  schedulerName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  ownerUid?: string;
  priority?: number;
}

export function makePod(name: string, o: PodSpecOptions = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: o.namespace ?? "default",
      uid: `uid-${name}`,
      ...(o.ownerUid
        ? {
            ownerReferences: [
              { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: o.ownerUid, controller: true },
            ],
          }
        : {}),
    },
    spec: {
      containers: [
        { name: "c", image: "busybox:1.36", ...(o.cpu || o.memory ? { resources: { requests } } : {}) },
      ],
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
    },
  };
}
