// Pod rules (pkg/apis/core/validation: ValidatePodCreate, ValidatePodUpdate, ValidatePodStatusUpdate).
// A pod's spec is immutable once created, except images, activeDeadlineSeconds (shorter only),
// added tolerations, and terminationGracePeriodSeconds from negative to 1.

import type { Pod, PodSpec, Toleration } from "../core-v1.js";
import { isDNS1123Subdomain } from "../names.js";
import {
  child,
  type FieldError,
  forbidden,
  index,
  invalid,
  invalidIf,
  nonNegative,
  oneOfIfSet,
} from "./field-error.js";
import { nameIsDNSSubdomain, validateObjectMeta } from "./object-meta.js";
import { validatePodSpec } from "./pod-spec.js";
import { differingPaths, semanticEqual } from "./semantic-equal.js";

const POD_PHASES = ["Failed", "Pending", "Running", "Succeeded", "Unknown"];
const UPDATABLE =
  "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

export function validatePod(pod: Pod): FieldError[] {
  return [
    ...validateObjectMeta(pod.metadata, { namespaced: true, nameCheck: nameIsDNSSubdomain }),
    ...validatePodSpec(pod.spec, "spec"),
  ];
}

export function validatePodCreate(pod: Pod): FieldError[] {
  const errs = validatePod(pod);
  if ((pod.spec?.ephemeralContainers ?? []).length > 0) {
    errs.push(forbidden("spec.ephemeralContainers", "cannot be set on create"));
  }
  return errs;
}

export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validatePod(pod);
  const spec = pod.spec;
  const oldSpec = old.spec;
  if (!spec || !oldSpec) return errs;

  if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null) {
    if (spec.activeDeadlineSeconds === undefined || spec.activeDeadlineSeconds === null) {
      errs.push(
        invalid("spec.activeDeadlineSeconds", "null", "must not update from a positive integer to nil value"),
      );
    } else if (spec.activeDeadlineSeconds > oldSpec.activeDeadlineSeconds) {
      errs.push(
        invalid(
          "spec.activeDeadlineSeconds",
          spec.activeDeadlineSeconds,
          "must be less than or equal to previous value",
        ),
      );
    }
  }
  errs.push(...onlyAddedTolerations(spec.tolerations, oldSpec.tolerations));

  // Compare the spec with the updatable fields taken from the old one (the "munged" spec).
  const munged = structuredClone(spec) as PodSpec;
  const sameShape = (a?: unknown[], b?: unknown[]) => (a ?? []).length === (b ?? []).length;
  if (sameShape(munged.containers, oldSpec.containers)) {
    munged.containers.forEach((c, i) => {
      c.image = oldSpec.containers[i]!.image;
    });
  }
  if (sameShape(munged.initContainers, oldSpec.initContainers)) {
    munged.initContainers?.forEach((c, i) => {
      c.image = oldSpec.initContainers![i]!.image;
    });
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.tolerations = oldSpec.tolerations;
  if ((oldSpec.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (!semanticEqual(munged, oldSpec)) {
    const changed = differingPaths(oldSpec, munged, "spec");
    errs.push(forbidden("spec", `${UPDATABLE}\n  changed: ${changed.join(", ")}`));
  }
  return errs;
}

/** Existing tolerations must stay; only their NoExecute tolerationSeconds may change. */
function onlyAddedTolerations(
  tolerations: Toleration[] | undefined,
  old: Toleration[] | undefined,
): FieldError[] {
  const same = (a: Toleration, b: Toleration) =>
    (a.key ?? "") === (b.key ?? "") &&
    (a.operator ?? "") === (b.operator ?? "") &&
    (a.value ?? "") === (b.value ?? "") &&
    (a.effect ?? "") === (b.effect ?? "");
  const errs: FieldError[] = [];
  for (const o of old ?? []) {
    const match = (tolerations ?? []).find((t) => same(t, o));
    if (!match) {
      errs.push(
        forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"),
      );
      break;
    }
    const oldSeconds = o.tolerationSeconds ?? null;
    const newSeconds = match.tolerationSeconds ?? null;
    if (
      oldSeconds !== newSeconds &&
      (oldSeconds === null || newSeconds === null || newSeconds > oldSeconds)
    ) {
      errs.push(
        forbidden(
          "spec.tolerations",
          "existing toleration can not be modified except its tolerationSeconds, which may only be decreased",
        ),
      );
      break;
    }
  }
  return errs;
}

export function validatePodStatusUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validateObjectMeta(pod.metadata, { namespaced: true, nameCheck: nameIsDNSSubdomain });
  const status = pod.status ?? {};
  errs.push(...oneOfIfSet("status.phase", status.phase, POD_PHASES));
  if (status.nominatedNodeName) {
    errs.push(
      ...invalidIf(
        "status.nominatedNodeName",
        status.nominatedNodeName,
        isDNS1123Subdomain(status.nominatedNodeName),
      ),
    );
  }
  for (const field of ["initContainerStatuses", "containerStatuses"] as const) {
    (status[field] ?? []).forEach((cs, i) => {
      errs.push(...nonNegative(child(index(child("status", field), i), "restartCount"), cs.restartCount));
    });
  }
  if (status.podIPs?.length && status.podIP && status.podIPs[0]?.ip !== status.podIP) {
    errs.push(invalid("status.podIPs[0].ip", status.podIPs[0]?.ip ?? "", "must be equal to podIP"));
  }
  // A status write never moves a pod to another node.
  if (old.spec?.nodeName && pod.spec?.nodeName !== old.spec.nodeName) {
    errs.push(forbidden("spec.nodeName", "pod updates may not change nodeName"));
  }
  return errs;
}
