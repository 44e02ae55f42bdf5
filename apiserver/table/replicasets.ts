// ReplicaSets: NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES SELECTOR (printReplicaSet).

import type { KubeObject, LabelSelector } from "../../api/meta.js";
import { type ContainerView, containerCells, formatLabelSelector } from "./containers.js";
import { CONTAINERS_COLUMN, IMAGES_COLUMN } from "./deployments.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type Printer } from "./printer.js";

interface ReplicaSetView {
  metadata: KubeObject["metadata"];
  spec?: {
    replicas?: number;
    selector?: LabelSelector;
    template?: { spec?: { containers?: ContainerView[] } };
  };
  status?: { replicas?: number; readyReplicas?: number };
}

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
    const rs = obj as ReplicaSetView;
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
