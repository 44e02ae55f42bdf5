// Secrets: NAME TYPE DATA AGE (printSecret). The API server defaults type to Opaque, so an empty
// cell means the object came from somewhere that skipped defaulting.

import type { KubeObject } from "../../api/meta.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, column, keyCount, NAME_COLUMN, type Printer } from "./printer.js";

export const secretPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column("Type", "string", "Used to facilitate programmatic handling of secret data."),
    column("Data", "string", "Number of keys in data."),
    AGE_COLUMN,
  ],
  cells(obj: KubeObject, now) {
    return [
      obj.metadata.name ?? "",
      typeof obj.type === "string" ? obj.type : "",
      keyCount(obj.data),
      formatAge(obj.metadata.creationTimestamp, now),
    ];
  },
};
