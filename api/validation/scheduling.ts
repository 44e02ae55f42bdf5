// Scheduling constraints of a pod spec (pkg/apis/core/validation: validateAffinity,
// ValidateTolerations, validateTopologySpreadConstraints).

import type {
  Affinity,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodAffinityTerm,
  Toleration,
  TopologySpreadConstraint,
} from "../core-v1.js";
import { isQualifiedName, isValidLabelValue } from "../names.js";
import {
  child,
  duplicate,
  type FieldError,
  index,
  invalid,
  invalidIf,
  notSupported,
  oneOfIfSet,
  required,
} from "./field-error.js";
import { setOperatorErrors, validateLabelSelector } from "./object-meta.js";

const TAINT_EFFECTS = ["NoExecute", "NoSchedule", "PreferNoSchedule"];
const TOLERATION_OPERATORS = ["Equal", "Exists"];
const WHEN_UNSATISFIABLE = ["DoNotSchedule", "ScheduleAnyway"];
const NODE_INCLUSION_POLICIES = ["Honor", "Ignore"];

export function validateTolerations(tolerations: Toleration[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = index(path, i);
    if (t.key) errs.push(...invalidIf(child(p, "key"), t.key, isQualifiedName(t.key)));
    if (!t.key && t.operator !== "Exists") {
      errs.push(
        invalid(
          child(p, "operator"),
          t.operator ?? "",
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== "NoExecute") {
      errs.push(
        invalid(
          child(p, "effect"),
          t.effect ?? "",
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    switch (t.operator ?? "") {
      case "":
      case "Equal":
        if (t.value) errs.push(...invalidIf(child(p, "value"), t.value, isValidLabelValue(t.value)));
        break;
      case "Exists":
        if (t.value)
          errs.push(
            invalid(child(p, "operator"), t.value, "value must be empty when `operator` is 'Exists'"),
          );
        break;
      default:
        errs.push(notSupported(child(p, "operator"), t.operator, TOLERATION_OPERATORS));
    }
    errs.push(...oneOfIfSet(child(p, "effect"), t.effect, TAINT_EFFECTS));
  });
  return errs;
}

function validateNodeSelectorRequirement(
  r: NodeSelectorRequirement,
  path: string,
  isField: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  const values = r.values ?? [];
  const setErrs = setOperatorErrors(r.operator, values, path);
  if (setErrs) errs.push(...setErrs);
  else
    switch (r.operator) {
      case "Gt":
      case "Lt":
        if (values.length !== 1)
          errs.push(
            required(child(path, "values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"),
          );
        break;
      default:
        errs.push(invalid(child(path, "operator"), r.operator, "not a valid selector operator"));
    }
  if (isField) {
    if (r.key !== "metadata.name") errs.push(notSupported(child(path, "key"), r.key, ["metadata.name"]));
  } else {
    errs.push(...invalidIf(child(path, "key"), r.key, isQualifiedName(r.key ?? "")));
  }
  return errs;
}

function validateNodeSelectorTerm(term: NodeSelectorTerm, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (term.matchExpressions ?? []).forEach((r, i) => {
    errs.push(...validateNodeSelectorRequirement(r, index(child(path, "matchExpressions"), i), false));
  });
  (term.matchFields ?? []).forEach((r, i) => {
    errs.push(...validateNodeSelectorRequirement(r, index(child(path, "matchFields"), i), true));
  });
  return errs;
}

function validateWeight(weight: number | undefined, path: string): FieldError[] {
  return weight !== undefined && weight >= 1 && weight <= 100
    ? []
    : [invalid(path, weight ?? 0, "must be in the range 1-100")];
}

function validatePodAffinityTerm(term: PodAffinityTerm, path: string): FieldError[] {
  const errs = validateLabelSelector(term.labelSelector, child(path, "labelSelector"));
  errs.push(...validateLabelSelector(term.namespaceSelector, child(path, "namespaceSelector")));
  if (!term.topologyKey) errs.push(required(child(path, "topologyKey"), "can not be empty"));
  else
    errs.push(...invalidIf(child(path, "topologyKey"), term.topologyKey, isQualifiedName(term.topologyKey)));
  return errs;
}

export function validateAffinity(affinity: Affinity | undefined, path: string): FieldError[] {
  if (!affinity) return [];
  const errs: FieldError[] = [];
  const na = affinity.nodeAffinity;
  if (na) {
    const p = child(path, "nodeAffinity");
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (req) {
      const rp = child(p, "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms");
      if ((req.nodeSelectorTerms ?? []).length === 0)
        errs.push(required(rp, "must have at least one node selector term"));
      (req.nodeSelectorTerms ?? []).forEach((t, i) => {
        errs.push(...validateNodeSelectorTerm(t, index(rp, i)));
      });
    }
    (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const tp = index(child(p, "preferredDuringSchedulingIgnoredDuringExecution"), i);
      errs.push(...validateWeight(t.weight, child(tp, "weight")));
      errs.push(...validateNodeSelectorTerm(t.preference ?? {}, child(tp, "preference")));
    });
  }
  for (const kind of ["podAffinity", "podAntiAffinity"] as const) {
    const pa = affinity[kind];
    if (!pa) continue;
    const p = child(path, kind);
    (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      errs.push(
        ...validatePodAffinityTerm(t, index(child(p, "requiredDuringSchedulingIgnoredDuringExecution"), i)),
      );
    });
    (pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const tp = index(child(p, "preferredDuringSchedulingIgnoredDuringExecution"), i);
      errs.push(...validateWeight(t.weight, child(tp, "weight")));
      errs.push(
        ...validatePodAffinityTerm(t.podAffinityTerm ?? { topologyKey: "" }, child(tp, "podAffinityTerm")),
      );
    });
  }
  return errs;
}

export function validateTopologySpreadConstraints(
  constraints: TopologySpreadConstraint[] | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (constraints ?? []).forEach((c, i) => {
    const p = index(path, i);
    if (!(c.maxSkew > 0))
      errs.push(invalid(child(p, "maxSkew"), c.maxSkew ?? 0, "must be greater than zero"));
    if (!c.topologyKey) errs.push(required(child(p, "topologyKey"), "can not be empty"));
    else errs.push(...invalidIf(child(p, "topologyKey"), c.topologyKey, isQualifiedName(c.topologyKey)));
    if (!c.whenUnsatisfiable) errs.push(required(child(p, "whenUnsatisfiable")));
    else errs.push(...oneOfIfSet(child(p, "whenUnsatisfiable"), c.whenUnsatisfiable, WHEN_UNSATISFIABLE));
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (c.minDomains <= 0)
        errs.push(invalid(child(p, "minDomains"), c.minDomains, "must be greater than 0"));
      else if (c.whenUnsatisfiable !== "DoNotSchedule") {
        errs.push(
          invalid(
            child(p, "minDomains"),
            c.minDomains,
            "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway",
          ),
        );
      }
    }
    errs.push(...oneOfIfSet(child(p, "nodeAffinityPolicy"), c.nodeAffinityPolicy, NODE_INCLUSION_POLICIES));
    errs.push(...oneOfIfSet(child(p, "nodeTaintsPolicy"), c.nodeTaintsPolicy, NODE_INCLUSION_POLICIES));
    errs.push(...validateLabelSelector(c.labelSelector, child(p, "labelSelector")));
    const pair = `{${c.topologyKey}, ${c.whenUnsatisfiable}}`;
    if (seen.has(pair)) errs.push(duplicate(p, pair));
    seen.add(pair);
  });
  return errs;
}

export { TAINT_EFFECTS };
