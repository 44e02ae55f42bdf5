// NodeReady — phases: Filter.
// Only nodes whose Ready condition is True take pods. (Kubernetes gets the same effect from the
// node lifecycle controller's node.kubernetes.io/not-ready taint; here the scheduler reads the
// condition itself, so it works with fake Node objects and without that controller.) A pod that
// tolerates the not-ready NoSchedule taint (as DaemonSet pods do) may still go there.

import type { Pod, Taint } from "../../api/index.js";
import type { CycleState } from "../framework/cycle-state.js";
import type { ClusterEvent, EnqueueExtensions, FilterPlugin } from "../framework/interface.js";
import type { NodeInfo } from "../framework/node-info.js";
import { checkArgKeys, type PluginFactory } from "../framework/registry.js";
import { Status } from "../framework/status.js";
import { tolerated } from "./tolerations.js";

export const NAME = "NodeReady";
const NOT_READY_TAINT: Taint = { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" };
const NOT_READY = Status.unresolvable("node(s) were not ready");

export class NodeReady implements FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
    if (node.ready) return Status.success;
    return tolerated(pod.spec?.tolerations, NOT_READY_TAINT) ? Status.success : NOT_READY;
  }

  eventsToRegister(): readonly ClusterEvent[] {
    return ["NodeAdd", "NodeUpdateCondition"];
  }
}

export const factory: PluginFactory = (args) => {
  checkArgKeys(NAME, args, []);
  return new NodeReady();
};
