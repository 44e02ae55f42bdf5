// Deployments: NAME READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR (printDeployment).
// READY is "ready/desired"; the counts are JSON integers.

import type { Deployment } from "../../api/apps-v1.js";
import { containerCells, selectorString } from "./containers.js";
import { formatAge } from "./human-duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, type Printer } from "./printer.js";

export const CONTAINERS_COLUMN = column("Containers", "string", "Names of each container in the template.", {
  priority: 1,
});
export const IMAGES_COLUMN = column(
  "Images",
  "string",
  "Images referenced by each container in the template.",
  {
    priority: 1,
  },
);

export const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column("Ready", "string", "Number of the pod with ready state"),
    column(
      "Up-to-date",
      "string",
      "Total number of pods targeted by this deployment that have the desired template.",
    ),
    column("Available", "string", "Total number of pods targeted by this deployment that are available."),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    column("Selector", "string", "Label query over the pods this deployment manages.", { priority: 1 }),
  ],
  cells(obj, now) {
    const d = obj as Deployment;
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      d.metadata.name ?? "",
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      formatAge(d.metadata.creationTimestamp, now),
      names,
      images,
      selectorString(d.spec?.selector),
    ];
  },
};
