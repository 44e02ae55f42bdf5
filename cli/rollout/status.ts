// Whether a Deployment's rollout is done, by the rules kubectl's rollout status applies on every
// event (polymorphichelpers' DeploymentStatusViewer): first the controller must have observed the
// latest spec, then a passed progress deadline is an error, then the new ReplicaSet must have all
// replicas, the old ones none, and every updated replica must be available.

import type { Deployment } from "../../api/index.js";

export type RolloutState = { done: boolean; message: string } | { error: string };

export function rolloutStatus(d: Deployment): RolloutState {
  const name = d.metadata.name;
  const st = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) {
    return { done: false, message: "Waiting for deployment spec update to be observed..." };
  }
  const progressing = st.conditions?.find((c) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return { error: `deployment "${name}" exceeded its progress deadline` };
  }
  const wanted = d.spec?.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  const waiting = `Waiting for deployment "${name}" rollout to finish:`;
  if (updated < wanted) {
    return {
      done: false,
      message: `${waiting} ${updated} out of ${wanted} new replicas have been updated...`,
    };
  }
  if ((st.replicas ?? 0) > updated) {
    return {
      done: false,
      message: `${waiting} ${(st.replicas ?? 0) - updated} old replicas are pending termination...`,
    };
  }
  if ((st.availableReplicas ?? 0) < updated) {
    return {
      done: false,
      message: `${waiting} ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...`,
    };
  }
  return { done: true, message: `deployment "${name}" successfully rolled out` };
}
