// Deployment and ReplicaSet rules (pkg/apis/apps/validation): a non-empty selector that matches the
// template's labels and never changes, a pod template with restartPolicy Always, and for Deployments
// a rolling update that can make progress (maxSurge and maxUnavailable not both zero).

import type {
  Deployment,
  DeploymentStatus,
  ReplicaSet,
  ReplicaSetStatus,
  RollingUpdateDeployment,
} from "../apps-v1.js";
import type { IntOrString, PodTemplateSpec } from "../core-v1.js";
import type { LabelSelector } from "../meta.js";
import { labelMatcherFromSelector } from "../selectors.js";
import {
  child,
  type FieldError,
  forbidden,
  invalid,
  nonNegative,
  notSupported,
  oneOfIfSet,
  required,
} from "./field-error.js";
import {
  nameIsDNSSubdomain,
  validateLabelSelector,
  validateLabels,
  validateObjectMeta,
} from "./object-meta.js";
import { validatePodSpec } from "./pod-spec.js";
import { semanticEqual } from "./semantic-equal.js";

const META_RULES = { namespaced: true, nameCheck: nameIsDNSSubdomain };

/** How Go prints a *metav1.LabelSelector with %#v, for "empty selector" and "field is immutable". */
function selectorValue(sel: LabelSelector | undefined): string {
  if (!sel) return "nil";
  const labels = sel.matchLabels
    ? `map[string]string{${Object.entries(sel.matchLabels)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
        .join(", ")}}`
    : "map[string]string(nil)";
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map(
          (e) =>
            `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:[]string{${(e.values ?? []).map((v) => JSON.stringify(v)).join(", ")}}}`,
        )
        .join(", ")}}`
    : "[]v1.LabelSelectorRequirement(nil)";
  return `v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`;
}

const selectorEmpty = (sel: LabelSelector) =>
  Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;

/** Shared by both kinds: selector present, non-empty and valid; template labels selected by it. */
function validateSelectorAndTemplate(
  selector: LabelSelector | undefined,
  template: PodTemplateSpec | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = child(path, "selector");
  // Like LabelSelectorAsSelector failing in Kubernetes, an invalid selector skips the match check.
  let selectorValid = false;
  if (!selector) errs.push(required(selPath));
  else {
    const selErrs = validateLabelSelector(selector, selPath);
    selectorValid = selErrs.length === 0;
    errs.push(...selErrs);
    if (selectorEmpty(selector)) {
      errs.push({
        type: "FieldValueInvalid",
        field: selPath,
        message: `Invalid value: ${selectorValue(selector)}: empty selector is invalid for deployment`,
      });
    }
  }
  const tplPath = child(path, "template");
  if (!template) {
    errs.push(required(tplPath));
    return errs;
  }
  const labels = template.metadata?.labels ?? {};
  errs.push(...validateLabels(template.metadata?.labels, child(tplPath, "metadata", "labels")));
  if (selector && selectorValid && !selectorEmpty(selector)) {
    if (!labelMatcherFromSelector(selector).matches(labels)) {
      errs.push(
        invalid(child(tplPath, "metadata", "labels"), labels, "`selector` does not match template `labels`"),
      );
    }
  }
  // ValidatePodTemplateSpecForReplicaSet: replicated pods always restart and never time out.
  const specPath = child(tplPath, "spec");
  errs.push(...validatePodSpec(template.spec, specPath));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy && restartPolicy !== "Always") {
    errs.push(notSupported(child(specPath, "restartPolicy"), restartPolicy, ["Always"]));
  }
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec?.activeDeadlineSeconds !== null) {
    errs.push(
      forbidden(
        child(specPath, "activeDeadlineSeconds"),
        "activeDeadlineSeconds in ReplicaSet is not Supported",
      ),
    );
  }
  return errs;
}

const PERCENT = /^[0-9]+%$/;

/** validatePositiveIntOrPercent + IsNotMoreThan100Percent; returns the value as a number for the zero check. */
function intOrPercent(v: IntOrString | undefined, path: string, errs: FieldError[]): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") {
    errs.push(...nonNegative(path, v));
    return v;
  }
  if (!PERCENT.test(v)) {
    errs.push(
      invalid(
        path,
        v,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
    );
    return undefined;
  }
  return Number(v.slice(0, -1));
}

function validateRollingUpdate(ru: RollingUpdateDeployment, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const unavailable = intOrPercent(ru.maxUnavailable, child(path, "maxUnavailable"), errs);
  const surge = intOrPercent(ru.maxSurge, child(path, "maxSurge"), errs);
  if (typeof ru.maxUnavailable === "string" && unavailable !== undefined && unavailable > 100) {
    errs.push(invalid(child(path, "maxUnavailable"), ru.maxUnavailable, "must not be greater than 100%"));
  }
  if (unavailable === 0 && surge === 0) {
    errs.push(invalid(child(path, "maxUnavailable"), ru.maxUnavailable, "may not be 0 when `maxSurge` is 0"));
  }
  return errs;
}

export function validateDeployment(d: Deployment): FieldError[] {
  const errs = validateObjectMeta(d.metadata, META_RULES);
  const spec = d.spec;
  if (!spec) return [...errs, required("spec")];
  errs.push(...nonNegative("spec.replicas", spec.replicas));
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, "spec"));
  const strategy = spec.strategy;
  if (strategy) {
    if (!strategy.type) errs.push(required("spec.strategy.type"));
    else errs.push(...oneOfIfSet("spec.strategy.type", strategy.type, ["Recreate", "RollingUpdate"]));
    if (strategy.type === "Recreate" && strategy.rollingUpdate) {
      errs.push(
        forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"),
      );
    }
    if (strategy.type === "RollingUpdate" && strategy.rollingUpdate) {
      errs.push(...validateRollingUpdate(strategy.rollingUpdate, "spec.strategy.rollingUpdate"));
    }
  }
  errs.push(...nonNegative("spec.revisionHistoryLimit", spec.revisionHistoryLimit));
  errs.push(...nonNegative("spec.minReadySeconds", spec.minReadySeconds));
  if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds !== null) {
    errs.push(...nonNegative("spec.progressDeadlineSeconds", spec.progressDeadlineSeconds));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(
        invalid(
          "spec.progressDeadlineSeconds",
          spec.progressDeadlineSeconds,
          "must be greater than minReadySeconds",
        ),
      );
    }
  }
  return errs;
}

export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const errs = validateObjectMeta(rs.metadata, META_RULES);
  const spec = rs.spec;
  if (!spec) return [...errs, required("spec")];
  errs.push(...nonNegative("spec.replicas", spec.replicas));
  errs.push(...nonNegative("spec.minReadySeconds", spec.minReadySeconds));
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, "spec"));
  return errs;
}

/** apps/v1 selectors are immutable after creation. */
export function selectorImmutable(
  selector: LabelSelector | undefined,
  old: LabelSelector | undefined,
): FieldError[] {
  if (semanticEqual(selector, old)) return [];
  return [
    {
      type: "FieldValueInvalid",
      field: "spec.selector",
      message: `Invalid value: ${selectorValue(selector)}: field is immutable`,
    },
  ];
}

type ReplicaCounts = Pick<
  DeploymentStatus & ReplicaSetStatus,
  "replicas" | "readyReplicas" | "availableReplicas"
> & {
  updatedReplicas?: number;
  fullyLabeledReplicas?: number;
  unavailableReplicas?: number;
  observedGeneration?: number;
};

/** ValidateDeploymentStatus / ValidateReplicaSetStatus: counts are non-negative and nest. */
export function validateReplicaStatus(status: ReplicaCounts | undefined): FieldError[] {
  const s = status ?? ({} as ReplicaCounts);
  const errs: FieldError[] = [];
  for (const f of [
    "replicas",
    "updatedReplicas",
    "readyReplicas",
    "availableReplicas",
    "unavailableReplicas",
    "fullyLabeledReplicas",
    "observedGeneration",
  ] as const) {
    errs.push(...nonNegative(`status.${f}`, s[f]));
  }
  const replicas = s.replicas ?? 0;
  for (const f of ["updatedReplicas", "readyReplicas", "fullyLabeledReplicas"] as const) {
    const v = s[f];
    if (v !== undefined && v !== null && v > replicas) {
      errs.push(invalid(`status.${f}`, v, "cannot be greater than status.replicas"));
    }
  }
  if ((s.availableReplicas ?? 0) > (s.readyReplicas ?? 0)) {
    errs.push(
      invalid("status.availableReplicas", s.availableReplicas, "cannot be greater than readyReplicas"),
    );
  }
  return errs;
}
