// Namespaces: NAME STATUS AGE (printNamespace); STATUS is the phase, Active or Terminating.

import type { KubeObject } from "../../api/meta.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type Printer } from "./printer.js";

export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, column("Status", "string", "The status of the namespace"), AGE_COLUMN],
  cells(obj: KubeObject, now) {
    const phase = (obj.status as { phase?: string } | undefined)?.phase ?? "";
    return [obj.metadata.name ?? "", phase, formatAge(obj.metadata.creationTimestamp, now)];
  },
};
