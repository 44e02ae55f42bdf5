// What create and apply print with -o: the object the server answered (or, under --dry-run=client,
// the object that would be sent) instead of "pod/x created". create prints each object on its own
// (YAML documents separated by "---"); apply prints one object alone and several as a List, which
// kubectl builds in the typed List's key order (kind, apiVersion, metadata, items).

import type { KubeObject, ResourceType } from "../../api/index.js";
import { UsageError } from "../command.js";
import { sortKeys } from "../jsonpath/index.js";
import { objectLabel } from "../resources.js";
import { formatDocument, type ObjectFormat } from "./object.js";

export function writtenOutput(value: string | undefined): ObjectFormat | undefined {
  if (value === undefined) return undefined;
  if (value === "yaml" || value === "json" || value === "name") return value;
  throw new UsageError(
    `unable to match a printer suitable for the output format "${value}", allowed formats are: json,name,yaml`,
  );
}

/**
 * One written object; `index` counts the objects printed before it (for YAML's "---"). A `typed`
 * object (a generator's, not sent) keeps its own key order in JSON, as kubectl prints Go structs.
 */
export function formatWritten(
  r: ResourceType,
  obj: KubeObject,
  format: ObjectFormat,
  index: number,
  typed = false,
): string {
  if (format === "name") return `${objectLabel(r, obj.metadata.name ?? "")}\n`;
  if (format === "json" && typed) return `${JSON.stringify(obj, null, 4)}\n`;
  return `${format === "yaml" && index > 0 ? "---\n" : ""}${formatDocument(obj, format)}`;
}

/** apply's -o over everything it applied. */
export function formatApplied(
  items: { resource: ResourceType; object: KubeObject }[],
  format: ObjectFormat,
): string {
  if (format === "name") return items.map((i) => formatWritten(i.resource, i.object, "name", 0)).join("");
  if (items.length === 1) return formatDocument(items[0]!.object, format);
  const list = { kind: "List", apiVersion: "v1", metadata: {}, items: items.map((i) => sortKeys(i.object)) };
  return format === "json" ? `${JSON.stringify(list, null, 4)}\n` : formatDocument(list, "yaml");
}
