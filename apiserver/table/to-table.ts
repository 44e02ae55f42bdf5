// Converts objects of one resource into a meta.k8s.io/v1 Table, the answer to a request whose Accept
// asks for `as=Table` (kubectl get). Each row carries the object as the client asked with
// `includeObject`: kubectl reads the PartialObjectMetadata of the default for the NAMESPACE column
// of `-A` and for `--show-labels`, and the whole object for `--sort-by`.

import type { KubeObject, ListMeta, Table, TableRow } from "../../api/meta.js";
import type { ResourceType } from "../../api/resources.js";
import { printerFor } from "./printers.js";

export type IncludeObject = "None" | "Metadata" | "Object";

export interface TableOptions {
  /** Default "Metadata". */
  includeObject?: IncludeObject;
  /** The clock for ages; default the current time. */
  now?: Date;
  /** Leave out columnDefinitions: every watch event after the first (kube-apiserver's NoHeaders). */
  noHeaders?: boolean;
  /** The list's metadata; without it a one-object table takes the object's resourceVersion. */
  listMeta?: ListMeta;
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === "Object") return obj;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
}

export function toTable(resource: ResourceType, objects: KubeObject[], opts: TableOptions = {}): Table {
  const printer = printerFor(resource);
  const now = opts.now ?? new Date();
  const include = opts.includeObject ?? "Metadata";
  const rows = objects.map((obj): TableRow => {
    const conditions = printer.conditions?.(obj);
    return {
      cells: printer.cells(obj, now),
      ...(conditions ? { conditions } : {}),
      ...(include === "None" ? {} : { object: rowObject(obj, include) }),
    };
  });
  const single = objects.length === 1 ? objects[0]?.metadata.resourceVersion : undefined;
  const metadata: ListMeta = opts.listMeta ?? (single ? { resourceVersion: single } : {});
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    ...(opts.noHeaders ? {} : { columnDefinitions: [...printer.columns] }),
    rows,
  };
}
