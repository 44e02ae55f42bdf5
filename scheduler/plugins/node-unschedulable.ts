// NodeUnschedulable — phases: Filter.
// A cordoned node (spec.unschedulable) takes no new pods, unless the pod tolerates the
// node.kubernetes.io/unschedulable:NoSchedule taint that Kubernetes associates with cordoning.

import type { Pod, Taint } from "../../api/index.js";
import type { CycleState } from "../framework/cycle-state.js";
import type { ClusterEvent, EnqueueExtensions, FilterPlugin } from "../framework/interface.js";
import type { NodeInfo } from "../framework/node-info.js";
import { checkArgKeys, type PluginFactory } from "../framework/registry.js";
import { Status } from "../framework/status.js";
import { tolerated } from "./tolerations.js";

export const NAME = "NodeUnschedulable";
const CORDON_TAINT: Taint = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" };
const CORDONED = Status.unresolvable("node(s) were unschedulable");

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
    if (!node.unschedulable) return Status.success;
    return tolerated(pod.spec?.tolerations, CORDON_TAINT) ? Status.success : CORDONED;
  }

  eventsToRegister(): readonly ClusterEvent[] {
    // Uncordoning is reported as a taint change, as Kubernetes does.
    return ["NodeAdd", "NodeUpdateTaint"];
  }
}

export const factory: PluginFactory = (args) => {
  checkArgKeys(NAME, args, []);
  return new NodeUnschedulable();
};
