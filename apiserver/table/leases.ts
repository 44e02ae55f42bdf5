// Leases: NAME HOLDER AGE (printLease). Node heartbeats and leader election both show here.

import type { Lease } from "../../api/coordination-v1.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type Printer } from "./printer.js";

export const leasePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column("Holder", "string", "The identity of the lease's current holder."),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const holder = (obj as Lease).spec?.holderIdentity ?? "";
    return [obj.metadata.name ?? "", holder, formatAge(obj.metadata.creationTimestamp, now)];
  },
};
