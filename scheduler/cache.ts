// The scheduler's view of the cluster: nodes with the pods on them, kept incrementally from the
// informers (after the kube-scheduler's cache). The moment the scheduler decides, it *assumes* the
// pod on its node here, so the next decision already counts it; the bind runs in the background.
// When the informer later reports the pod bound, the assumption is confirmed; if the bind fails,
// the scheduler forgets it and the node's resources are free again.
//
// JavaScript runs one decision at a time on one thread, so decisions read the cache directly; the
// kube-scheduler needs a per-cycle snapshot only because its informers write concurrently.
// Known limitation: an assumed pod whose bind succeeded but whose update never arrives (a very long
// watch outage) stays assumed until the informer relists; Kubernetes expires such pods after a TTL.

import type { Node, Pod } from "../api/index.js";
import { NodeInfo, type PodInfo, podInfoFor, podKey } from "./framework/node-info.js";

interface PodState {
  info: PodInfo;
  node: string;
  assumed: boolean;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  private nodeArray: NodeInfo[] | undefined;

  /** Nodes that exist (have a Node object), in a stable order. Do not modify. */
  nodeList(): readonly NodeInfo[] {
    if (!this.nodeArray) this.nodeArray = [...this.nodes.values()].filter((n) => n.node !== undefined);
    return this.nodeArray;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  get nodeCount(): number {
    return this.nodeList().length;
  }

  addNode(node: Node): void {
    const name = node.metadata.name!;
    const ni = this.nodes.get(name);
    if (ni) {
      const had = ni.node !== undefined;
      ni.setNode(node);
      if (!had) this.nodeArray = undefined;
    } else {
      this.nodes.set(name, new NodeInfo(name, node));
      this.nodeArray = undefined;
    }
  }

  removeNode(node: Node): void {
    const name = node.metadata.name!;
    const ni = this.nodes.get(name);
    if (!ni) return;
    // Pods still listed on a deleted node keep their NodeInfo (without a node) until they go too.
    if (ni.pods.size === 0) this.nodes.delete(name);
    else ni.node = undefined;
    this.nodeArray = undefined;
  }

  /** Records the decision: `pod` counts on `nodeName` from now on. */
  assume(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    if (this.pods.has(key)) throw new Error(`pod ${key} is already in the scheduler cache`);
    const info = podInfoFor(pod);
    this.addToNode(info, nodeName);
    this.pods.set(key, { info, node: nodeName, assumed: true });
  }

  /** The bind failed: undo the assumption. */
  forget(pod: Pod): void {
    const key = podKey(pod);
    const s = this.pods.get(key);
    if (!s?.assumed) return;
    this.removeFromNode(key, s.node);
    this.pods.delete(key);
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed === true;
  }

  /** A pod the informer reports bound to a node (and not finished). Confirms an assumption. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec!.nodeName!;
    const s = this.pods.get(key);
    if (s) this.removeFromNode(key, s.node);
    const info = podInfoFor(pod);
    this.addToNode(info, nodeName);
    this.pods.set(key, { info, node: nodeName, assumed: false });
  }

  /** A bound pod is gone (deleted, or finished: Succeeded/Failed pods hold no resources). */
  removePod(pod: Pod): boolean {
    const key = podKey(pod);
    const s = this.pods.get(key);
    if (!s) return false;
    this.removeFromNode(key, s.node);
    this.pods.delete(key);
    return true;
  }

  get podCount(): number {
    return this.pods.size;
  }

  private addToNode(info: PodInfo, nodeName: string): void {
    let ni = this.nodes.get(nodeName);
    if (!ni) {
      ni = new NodeInfo(nodeName);
      this.nodes.set(nodeName, ni);
    }
    ni.addPod(info);
  }

  private removeFromNode(key: string, nodeName: string): void {
    const ni = this.nodes.get(nodeName);
    if (!ni) return;
    ni.removePod(key);
    if (ni.pods.size === 0 && ni.node === undefined) this.nodes.delete(nodeName);
  }
}
