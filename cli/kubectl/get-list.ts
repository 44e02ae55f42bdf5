// What `k8ts get` reads before it prints: every page of a type's Table (the server formats the
// cells, as kubectl asks it to), in one namespace or all of them, events oldest first.

import type { ResourceType, Table, TableRow } from "../../api/index.js";
import { resourcePath } from "../../client/index.js";
import type { Kube } from "../kube.js";

export interface ListScope {
  allNamespaces: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** "Object": each row carries its whole object (--sort-by reads it; events always do). */
  includeObject?: "Object";
}

/** Where a list goes: one namespace, or every namespace (-A) for namespaced types. */
export function listPath(kube: Kube, r: ResourceType, all: boolean, name?: string): string {
  return resourcePath(r, { namespace: all && name === undefined ? undefined : kube.namespace, name });
}

/** The namespace a list or watch is scoped to: undefined for -A (and cluster-scoped types). */
export function scopeNamespace(kube: Kube, r: ResourceType, all: boolean): string | undefined {
  return r.namespaced && !all ? kube.namespace : undefined;
}

/** Events read best oldest first: kubectl users sort them by time, so `get events` does. */
function eventTime(row: TableRow): string {
  const o = row.object as Record<string, string | undefined> & { metadata?: { creationTimestamp?: string } };
  return o?.lastTimestamp ?? o?.eventTime ?? o?.firstTimestamp ?? o?.metadata?.creationTimestamp ?? "";
}

export const isEventType = (r: ResourceType) => r.kind === "Event" && r.group === "";

/** Every row of a type (pages of 500, as kubectl's --chunk-size), at the first page's resourceVersion. */
export async function listTable(kube: Kube, r: ResourceType, scope: ListScope): Promise<Table> {
  const events = isEventType(r);
  const base = {
    labelSelector: scope.labelSelector,
    fieldSelector: scope.fieldSelector,
    limit: 500,
    includeObject: events ? "Object" : scope.includeObject,
  };
  const path = listPath(kube, r, scope.allNamespaces);
  const first = await kube.tables.request<Table>("GET", path, { query: { ...base } });
  const rows = [...first.rows];
  let next = first.metadata?.continue;
  while (next) {
    const page = await kube.tables.request<Table>("GET", path, { query: { ...base, continue: next } });
    rows.push(...page.rows);
    next = page.metadata?.continue;
  }
  if (events) rows.sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
  return { ...first, rows };
}
