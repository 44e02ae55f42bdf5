// Secrets: NAME TYPE DATA AGE (printSecret). The API server defaults type to Opaque, so an empty
// cell means the object came from somewhere that skipped defaulting.

import type { Secret } from "../../api/core-v1.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, column, keyCount, NAME_COLUMN, type Printer } from "./printer.js";

export const secretPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column("Type", "string", "Used to facilitate programmatic handling of secret data."),
    column("Data", "string", "Number of keys in data."),
    AGE_COLUMN,
  ],
  cells(o, now) {
    const obj = o as Secret;
    return [
      obj.metadata.name ?? "",
      obj.type ?? "",
      keyCount(obj.data),
      formatAge(obj.metadata.creationTimestamp, now),
    ];
  },
};
