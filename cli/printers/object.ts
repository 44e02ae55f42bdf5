// -o yaml, -o json and -o name: the stored objects as kubectl prints them. Keys are sorted at
// every level (kubectl prints unstructured maps, which Go marshals in key order), JSON is indented
// by four spaces, YAML lists are not indented under their key, and several objects become a List.

import { stringify } from "yaml";
import { apiVersionOf, type KubeObject, type ResourceType } from "../../api/index.js";
import { sortKeys } from "../jsonpath/index.js";
import { objectLabel } from "../resources.js";

export type ObjectFormat = "yaml" | "json" | "name";

export interface Printed {
  resource: ResourceType;
  object: KubeObject;
}

/** A list answer's items lack apiVersion/kind on some servers; kubectl always shows them. */
export function typed({ resource, object }: Printed): KubeObject {
  return {
    ...object,
    apiVersion: object.apiVersion ?? apiVersionOf(resource),
    kind: object.kind ?? resource.kind,
  };
}

/** Several objects as kubectl prints them: one v1 List. */
export function listDocument(items: readonly Printed[]) {
  return { apiVersion: "v1", items: items.map(typed), kind: "List", metadata: { resourceVersion: "" } };
}

export function formatObjects(items: Printed[], format: ObjectFormat, asList: boolean): string {
  if (format === "name")
    return items.map((p) => `${objectLabel(p.resource, p.object.metadata.name ?? "")}\n`).join("");
  const doc = asList ? listDocument(items) : typed(items[0]!);
  return formatDocument(doc, format);
}

/** Any JSON value as kubectl prints a document: keys sorted, JSON indented by four, YAML 1.1. */
export function formatDocument(doc: unknown, format: "yaml" | "json"): string {
  const sorted = sortKeys(doc);
  if (format === "json") return `${JSON.stringify(sorted, null, 4)}\n`;
  return stringify(sorted, { version: "1.1", indentSeq: false, lineWidth: 0 });
}

/**
 * One watch event as kubectl's --output-watch-events prints it (Go marshalling a WatchEvent):
 * compact JSON with "type" before "object", or YAML with every key sorted.
 */
export function formatWatchEvent(type: string, item: Printed, format: "yaml" | "json"): string {
  const object = sortKeys(typed(item));
  if (format === "json") return `${JSON.stringify({ type, object })}\n`;
  return formatDocument({ object, type }, "yaml");
}
