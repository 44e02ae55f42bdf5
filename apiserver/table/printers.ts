// The registry of printers by resource: "<group>/<plural>", the core group being "".

import type { ResourceType } from "../../api/resources.js";
import { configMapPrinter } from "./configmaps.js";
import { defaultPrinter } from "./default.js";
import { deploymentPrinter } from "./deployments.js";
import { eventPrinter } from "./events.js";
import { leasePrinter } from "./leases.js";
import { namespacePrinter } from "./namespaces.js";
import { nodePrinter } from "./nodes.js";
import { podPrinter } from "./pods.js";
import type { Printer } from "./printer.js";
import { replicaSetPrinter } from "./replicasets.js";
import { secretPrinter } from "./secrets.js";

const PRINTERS: ReadonlyMap<string, Printer> = new Map([
  ["/pods", podPrinter],
  ["/nodes", nodePrinter],
  ["/namespaces", namespacePrinter],
  ["/events", eventPrinter],
  ["/configmaps", configMapPrinter],
  ["/secrets", secretPrinter],
  ["apps/deployments", deploymentPrinter],
  ["apps/replicasets", replicaSetPrinter],
  ["coordination.k8s.io/leases", leasePrinter],
]);

export function printerFor(r: Pick<ResourceType, "group" | "plural">): Printer {
  return PRINTERS.get(`${r.group}/${r.plural}`) ?? defaultPrinter;
}
