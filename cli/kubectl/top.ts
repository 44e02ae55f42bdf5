// `k8ts top nodes`: for each node, what the pods bound to it request against what it can give —
// the quantity the scheduler fills, not live usage (there is no metrics pipeline).

import type { Node, Pod } from "../../api/index.js";
import type { Kube } from "../kube.js";
import { formatColumns } from "../printers/columns.js";
import { findResource } from "../resources.js";
import { styleFor } from "../style.js";
import { nodeAllocation } from "../top/allocation.js";
import { topNodeRows } from "../top/bars.js";

export async function topNodes(kube: Kube, names: string[], labelSelector?: string): Promise<number> {
  const NODES = findResource("nodes")!;
  const nodes = (await kube.client.listAll<Node>(NODES, { labelSelector })).items.filter(
    (n) => names.length === 0 || names.includes(n.metadata.name ?? ""),
  );
  if (nodes.length === 0) {
    process.stderr.write("No nodes found. Start a cluster with `k8ts up`.\n");
    return names.length === 0 ? 0 : 1;
  }
  const pods = (
    await kube.client.listAll<Pod>(findResource("pods")!, {
      fieldSelector: "status.phase!=Succeeded,status.phase!=Failed",
    })
  ).items;
  const rows = topNodeRows(
    nodes.map((n) => nodeAllocation(n, pods)),
    styleFor(process.stdout),
  );
  process.stdout.write(formatColumns(rows));
  return 0;
}
