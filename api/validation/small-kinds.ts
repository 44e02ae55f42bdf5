// The kinds with only a few rules: Namespace (a DNS-label name), Event (its namespace agrees with
// the object it is about), Lease (a positive duration), and the Binding and Scale subresource bodies.

import type { Scale } from "../apps-v1.js";
import type { Lease } from "../coordination-v1.js";
import type { Binding, Event, Namespace } from "../core-v1.js";
import { type FieldError, invalid, nonNegative, notSupported, positive, required } from "./field-error.js";
import { nameIsDNSLabel, nameIsDNSSubdomain, validateObjectMeta } from "./object-meta.js";

export function validateNamespace(ns: Namespace): FieldError[] {
  return validateObjectMeta(ns.metadata, { namespaced: false, nameCheck: nameIsDNSLabel });
}

export function validateEvent(ev: Event): FieldError[] {
  const errs = validateObjectMeta(ev.metadata, { namespaced: true, nameCheck: nameIsDNSSubdomain });
  const involved = ev.involvedObject;
  if (!involved) return [...errs, required("involvedObject")];
  if (!involved.kind && !involved.name && !involved.uid) {
    errs.push(required("involvedObject", "must identify an object by kind and name, or uid"));
  }
  if (involved.namespace && ev.metadata?.namespace && involved.namespace !== ev.metadata.namespace) {
    errs.push(invalid("involvedObject.namespace", involved.namespace, "does not match event.namespace"));
  }
  errs.push(...nonNegative("count", ev.count));
  return errs;
}

export function validateLease(lease: Lease): FieldError[] {
  const errs = validateObjectMeta(lease.metadata, { namespaced: true, nameCheck: nameIsDNSSubdomain });
  errs.push(...positive("spec.leaseDurationSeconds", lease.spec?.leaseDurationSeconds));
  errs.push(...nonNegative("spec.leaseTransitions", lease.spec?.leaseTransitions));
  return errs;
}

/** pods/binding (ValidatePodBinding): a target node by name. */
export function validateBinding(binding: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const target = binding.target ?? {};
  if (target.kind && target.kind !== "Node") errs.push(notSupported("target.kind", target.kind, ["Node"]));
  if (!target.name) errs.push(required("target.name"));
  return errs;
}

/** autoscaling/v1 Scale written to a /scale subresource. */
export function validateScale(scale: Scale): FieldError[] {
  return nonNegative("spec.replicas", scale.spec?.replicas);
}
