// Any resource without its own printer: NAME AGE. kube-apiserver's default table convertor prints
// "Created At" as an RFC 3339 date instead; an Age reads the same as every other listing here.

import type { KubeObject } from "../../api/meta.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, NAME_COLUMN, type Printer } from "./printer.js";

export const defaultPrinter: Printer = {
  columns: [NAME_COLUMN, AGE_COLUMN],
  cells(obj: KubeObject, now) {
    return [obj.metadata.name ?? "", formatAge(obj.metadata.creationTimestamp, now)];
  },
};
