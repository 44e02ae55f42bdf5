// Nodes: NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION
// CONTAINER-RUNTIME (printNode). STATUS reads the Ready condition ("Ready", "NotReady", "Unknown"
// when the node never reported) and adds ",SchedulingDisabled" for a cordoned node.

import type { Node } from "../../api/core-v1.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type Printer } from "./printer.js";

const ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
/** The older single-valued role label, still honoured by kubectl. */
const ROLE_LABEL = "kubernetes.io/role";

export function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready");
  const parts = [ready ? (ready.status === "True" ? "Ready" : "NotReady") : "Unknown"];
  if (node.spec?.unschedulable) parts.push("SchedulingDisabled");
  return parts.join(",");
}

/** Roles from `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role=<role>`, sorted, unique. */
export function nodeRoles(labels: Record<string, string> | undefined): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(ROLE_LABEL_PREFIX) && k.length > ROLE_LABEL_PREFIX.length) {
      roles.add(k.slice(ROLE_LABEL_PREFIX.length));
    } else if (k === ROLE_LABEL && v !== "") roles.add(v);
  }
  return [...roles].sort().join(",") || "<none>";
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? "<none>";
}

export const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column("Status", "string", "The status of the node"),
    column("Roles", "string", "The roles of the node"),
    AGE_COLUMN,
    column("Version", "string", "Kubelet version reported by the node."),
    column("Internal-IP", "string", "The node's first InternalIP address.", { priority: 1 }),
    column("External-IP", "string", "The node's first ExternalIP address.", { priority: 1 }),
    column("OS-Image", "string", "OS image reported by the node (/etc/os-release PRETTY_NAME).", {
      priority: 1,
    }),
    column("Kernel-Version", "string", "Kernel version reported by the node (uname -r).", { priority: 1 }),
    column("Container-Runtime", "string", "Container runtime version reported by the node.", { priority: 1 }),
  ],
  cells(obj, now) {
    const node = obj as Node;
    const info: Partial<NonNullable<NonNullable<Node["status"]>["nodeInfo"]>> = node.status?.nodeInfo ?? {};
    return [
      node.metadata.name ?? "",
      nodeStatus(node),
      nodeRoles(node.metadata.labels),
      formatAge(node.metadata.creationTimestamp, now),
      info.kubeletVersion ?? "",
      address(node, "InternalIP"),
      address(node, "ExternalIP"),
      info.osImage || "<unknown>",
      info.kernelVersion || "<unknown>",
      info.containerRuntimeVersion || "<unknown>",
    ];
  },
};
