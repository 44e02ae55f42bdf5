// Namespaces: NAME STATUS AGE (printNamespace); STATUS is the phase, Active or Terminating.

import type { Namespace } from "../../api/core-v1.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type Printer } from "./printer.js";

export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, column("Status", "string", "The status of the namespace"), AGE_COLUMN],
  cells(obj, now) {
    const phase = (obj as Namespace).status?.phase ?? "";
    return [obj.metadata.name ?? "", phase, formatAge(obj.metadata.creationTimestamp, now)];
  },
};
