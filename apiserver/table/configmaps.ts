// ConfigMaps: NAME DATA AGE (printConfigMap); DATA counts the keys of data and binaryData together.

import type { ConfigMap } from "../../api/core-v1.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, column, keyCount, NAME_COLUMN, type Printer } from "./printer.js";

export const configMapPrinter: Printer = {
  columns: [NAME_COLUMN, column("Data", "string", "Number of keys in data and binaryData."), AGE_COLUMN],
  cells(o, now) {
    const obj = o as ConfigMap;
    return [
      obj.metadata.name ?? "",
      keyCount(obj.data) + keyCount(obj.binaryData),
      formatAge(obj.metadata.creationTimestamp, now),
    ];
  },
};
