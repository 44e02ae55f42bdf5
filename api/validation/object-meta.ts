// ObjectMeta rules every kind shares (apimachinery/pkg/api/validation/objectmeta.go): name or
// generateName, namespace by scope, labels, annotations (≤ 256 KiB in total), owner references and
// finalizers; plus metav1 LabelSelector (apimachinery/pkg/apis/meta/v1/validation).

import type { LabelSelector, ObjectMeta } from "../meta.js";
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from "../names.js";
import {
  child,
  type FieldError,
  forbidden,
  index,
  invalid,
  invalidIf,
  nonNegative,
  required,
  tooLong,
} from "./field-error.js";

/** Checks a name; returns Kubernetes' messages. With prefix, a trailing "-" is allowed (generateName). */
export type NameCheck = (name: string, prefix: boolean) => string[];

const masked =
  (fn: (s: string) => string[]): NameCheck =>
  (name, prefix) =>
    fn(prefix && name.endsWith("-") ? `${name.slice(0, -1)}a` : name);

export const nameIsDNSSubdomain: NameCheck = masked(isDNS1123Subdomain);
export const nameIsDNSLabel: NameCheck = masked(isDNS1123Label);

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

export interface MetaRules {
  namespaced: boolean;
  nameCheck: NameCheck;
}

export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  rules: MetaRules,
  path = "metadata",
): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    errs.push(
      ...invalidIf(child(path, "generateName"), m.generateName, rules.nameCheck(m.generateName, true)),
    );
  }
  if (!m.name) {
    if (!m.generateName) errs.push(required(child(path, "name"), "name or generateName is required"));
  } else {
    errs.push(...invalidIf(child(path, "name"), m.name, rules.nameCheck(m.name, false)));
  }
  if (rules.namespaced) {
    if (!m.namespace) errs.push(required(child(path, "namespace")));
    else errs.push(...invalidIf(child(path, "namespace"), m.namespace, isDNS1123Label(m.namespace)));
  } else if (m.namespace) {
    errs.push(forbidden(child(path, "namespace"), "not allowed on this type"));
  }
  errs.push(...nonNegative(child(path, "generation"), m.generation));
  errs.push(...validateLabels(m.labels, child(path, "labels")));
  errs.push(...validateAnnotations(m.annotations, child(path, "annotations")));
  errs.push(...validateOwnerReferences(m, child(path, "ownerReferences")));
  errs.push(...validateFinalizers(m.finalizers, child(path, "finalizers")));
  return errs;
}

/** Label keys are qualified names, values are label values; both are reported at the map's path. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...invalidIf(path, k, isQualifiedName(k)));
    errs.push(...invalidIf(path, v, isValidLabelValue(String(v))));
  }
  return errs;
}

function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    errs.push(...invalidIf(path, k, isQualifiedName(k.toLowerCase())));
    total += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateOwnerReferences(m: ObjectMeta, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  for (const ref of m.ownerReferences ?? []) {
    if (!ref.apiVersion)
      errs.push(invalid(child(path, "apiVersion"), ref.apiVersion ?? "", "version must not be empty"));
    if (!ref.kind) errs.push(invalid(child(path, "kind"), ref.kind ?? "", "kind must not be empty"));
    if (!ref.name) errs.push(invalid(child(path, "name"), ref.name ?? "", "name must not be empty"));
    if (!ref.uid) errs.push(invalid(child(path, "uid"), ref.uid ?? "", "uid must not be empty"));
    if (ref.controller) controllers.push(`${ref.kind}/${ref.name}`);
  }
  if (controllers.length > 1) {
    errs.push(
      invalid(
        path,
        controllers.join(", "),
        `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(" and ")}`,
      ),
    );
  }
  return errs;
}

function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) {
    const msgs = isQualifiedName(f);
    if (msgs.length > 0) errs.push(invalid(path, f, msgs.join("; ")));
    else if (!f.includes("/") && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalid(path, f, "name is neither a standard finalizer name nor is it fully qualified"));
    }
  }
  return errs;
}

/**
 * The set operators shared by label and node selector requirements: In/NotIn need values,
 * Exists/DoesNotExist forbid them. Returns undefined for an operator it does not know.
 */
export function setOperatorErrors(
  operator: string,
  values: string[],
  path: string,
): FieldError[] | undefined {
  switch (operator) {
    case "In":
    case "NotIn":
      return values.length === 0
        ? [required(child(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'")]
        : [];
    case "Exists":
    case "DoesNotExist":
      return values.length > 0
        ? [
            forbidden(
              child(path, "values"),
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
          ]
        : [];
    default:
      return undefined;
  }
}

function validateSetOperator(operator: string, values: string[], path: string): FieldError[] {
  return (
    setOperatorErrors(operator, values, path) ?? [
      invalid(child(path, "operator"), operator, "not a valid selector operator"),
    ]
  );
}

/** metav1 LabelSelector: matchLabels as labels, and well-formed matchExpressions. */
export function validateLabelSelector(sel: LabelSelector | undefined, path: string): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, child(path, "matchLabels"));
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const p = index(child(path, "matchExpressions"), i);
    const values = expr.values ?? [];
    errs.push(...validateSetOperator(expr.operator, values, p));
    errs.push(...invalidIf(child(p, "key"), expr.key, isQualifiedName(expr.key ?? "")));
    values.forEach((v, j) => {
      errs.push(...invalidIf(index(child(p, "values"), j), v, isValidLabelValue(v)));
    });
  });
  return errs;
}
