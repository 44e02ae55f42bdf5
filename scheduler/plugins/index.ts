// The in-tree plugin registry: every plugin the scheduler can be configured with, by name.

import type { Registry } from "../framework/registry.js";
import * as nodeAffinity from "./node-affinity.js";
import * as nodeName from "./node-name.js";
import * as nodeReady from "./node-ready.js";
import * as nodeResourcesFit from "./node-resources-fit.js";
import * as nodeUnschedulable from "./node-unschedulable.js";
import * as ownerSpread from "./owner-spread.js";
import * as taintToleration from "./taint-toleration.js";

export const IN_TREE: Registry = new Map(
  [nodeAffinity, nodeName, nodeReady, nodeResourcesFit, nodeUnschedulable, ownerSpread, taintToleration].map(
    (m) => [m.NAME, m.factory],
  ),
);
