// `k8ts api-resources`: what the server says it serves (legacy discovery: /api/v1, /apis, then
// each group's preferred version), as kubectl prints it: core first, then groups in order, names
// sorted within each, subresources left out.

import type { Kube } from "../kube.js";
import { formatColumns } from "../printers/columns.js";

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
}

interface ResourceList {
  groupVersion: string;
  resources: ApiResource[];
}

interface GroupList {
  groups: { name: string; preferredVersion: { groupVersion: string } }[];
}

export async function apiResources(
  kube: Kube,
  opts: { namespaced?: boolean; output?: "name" },
): Promise<number> {
  const lists = [await kube.client.request<ResourceList>("GET", "/api/v1")];
  const groups = await kube.client.request<GroupList>("GET", "/apis");
  for (const g of groups.groups) {
    lists.push(await kube.client.request<ResourceList>("GET", `/apis/${g.preferredVersion.groupVersion}`));
  }
  const rows: string[][] = [];
  for (const list of lists) {
    const resources = list.resources
      .filter((r) => !r.name.includes("/"))
      .filter((r) => opts.namespaced === undefined || r.namespaced === opts.namespaced)
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const r of resources) {
      const group = list.groupVersion.includes("/") ? list.groupVersion.split("/")[0] : "";
      if (opts.output === "name") rows.push([group ? `${r.name}.${group}` : r.name]);
      else
        rows.push([r.name, (r.shortNames ?? []).join(","), list.groupVersion, String(r.namespaced), r.kind]);
    }
  }
  if (opts.output === "name") process.stdout.write(rows.map((r) => `${r[0]}\n`).join(""));
  else
    process.stdout.write(
      formatColumns([["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"], ...rows]),
    );
  return 0;
}
