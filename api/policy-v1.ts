// policy/v1 Eviction, the body POSTed to pods/{name}/eviction (k8s.io/api v1.32).

import type { DeleteOptions, KubeObject, ObjectMeta } from "./meta.js";

/** policy/v1 Eviction: POSTed to pods/{name}/eviction; a delete that honours disruption budgets. */
export interface Eviction extends KubeObject {
  apiVersion?: "policy/v1";
  kind?: "Eviction";
  metadata: ObjectMeta;
  deleteOptions?: DeleteOptions;
}
