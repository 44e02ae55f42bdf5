// NodeName — phases: PreFilter, Filter.
// A pod that names a node (spec.nodeName) fits only there. Pods normally bypass the scheduler when
// they name a node; this plugin exists, as in Kubernetes, for the ones that reach it anyway.

import type { Pod } from "../../api/index.js";
import type { CycleState } from "../framework/cycle-state.js";
import type {
  ClusterEvent,
  EnqueueExtensions,
  FilterPlugin,
  PreFilterPlugin,
} from "../framework/interface.js";
import type { NodeInfo } from "../framework/node-info.js";
import { checkArgKeys, type PluginFactory } from "../framework/registry.js";
import { Status } from "../framework/status.js";

export const NAME = "NodeName";
const MISMATCH = Status.unresolvable("node(s) didn't match the requested node name");

export class NodeName implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;

  preFilter(_state: CycleState, pod: Pod): Status {
    return pod.spec?.nodeName ? Status.success : Status.skip;
  }

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
    return pod.spec?.nodeName === node.name ? Status.success : MISMATCH;
  }

  eventsToRegister(): readonly ClusterEvent[] {
    return ["NodeAdd"];
  }
}

export const factory: PluginFactory = (args) => {
  checkArgKeys(NAME, args, []);
  return new NodeName();
};
