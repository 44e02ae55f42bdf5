// ReplicaSets: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR (printReplicaSet).

import type { ReplicaSet } from "../../api/apps-v1.js";
import { containerCells, formatLabelSelector } from "./containers.js";
import { CONTAINERS_COLUMN, IMAGES_COLUMN } from "./deployments.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type Printer } from "./printer.js";

export const replicaSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column("Desired", "integer", "Number of desired pods (spec.replicas)."),
    column("Current", "integer", "Number of pods the replica set currently has (status.replicas)."),
    column("Ready", "integer", "Number of pods with a Ready condition (status.readyReplicas)."),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column("Selector", "string", "Label query over the pods this replica set manages.", { priority: 1 }),
  ],
  cells(obj, now) {
    const rs = obj as ReplicaSet;
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata.name ?? "",
      rs.spec?.replicas ?? 0,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      formatAge(rs.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};
