// Node rules (pkg/apis/core/validation: ValidateNode, ValidateNodeUpdate): taints with a qualified key
// and a known effect, unique by key and effect; podCIDRs and providerID set once.

import type { Node } from "../core-v1.js";
import { isQualifiedName, isValidLabelValue } from "../names.js";
import { validateResourceList } from "./container.js";
import {
  child,
  duplicate,
  type FieldError,
  forbidden,
  index,
  invalid,
  invalidIf,
  notSupported,
  required,
} from "./field-error.js";
import { nameIsDNSSubdomain, validateObjectMeta } from "./object-meta.js";
import { TAINT_EFFECTS } from "./scheduling.js";
import { semanticEqual } from "./semantic-equal.js";

const CIDR = /^([0-9]{1,3}(\.[0-9]{1,3}){3}\/[0-9]{1,2}|[0-9a-fA-F:]+\/[0-9]{1,3})$/;

export function validateNode(node: Node): FieldError[] {
  const errs = validateObjectMeta(node.metadata, { namespaced: false, nameCheck: nameIsDNSSubdomain });
  const spec = node.spec ?? {};
  const seen = new Set<string>();
  (spec.taints ?? []).forEach((t, i) => {
    const p = index("spec.taints", i);
    errs.push(...invalidIf(child(p, "key"), t.key, isQualifiedName(t.key ?? "")));
    if (t.value) errs.push(...invalidIf(child(p, "value"), t.value, isValidLabelValue(t.value)));
    if (!t.effect) errs.push(required(child(p, "effect")));
    else if (!TAINT_EFFECTS.includes(t.effect))
      errs.push(notSupported(child(p, "effect"), t.effect, TAINT_EFFECTS));
    const id = `${t.key}:${t.effect}`;
    if (seen.has(id)) errs.push(duplicate(p, id));
    seen.add(id);
  });
  const cidrs = spec.podCIDRs ?? (spec.podCIDR ? [spec.podCIDR] : []);
  cidrs.forEach((c, i) => {
    if (!CIDR.test(c))
      errs.push(
        invalid(
          index("spec.podCIDRs", i),
          c,
          "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        ),
      );
  });
  if (spec.podCIDR && spec.podCIDRs?.length && spec.podCIDRs[0] !== spec.podCIDR) {
    errs.push(invalid("spec.podCIDRs", spec.podCIDRs, "first entry must match `podCIDR`"));
  }
  errs.push(...validateNodeStatus(node));
  return errs;
}

function validateNodeStatus(node: Node): FieldError[] {
  const status = node.status ?? {};
  return [
    ...validateResourceList(status.capacity, "status.capacity", false),
    ...validateResourceList(status.allocatable, "status.allocatable", false),
  ];
}

export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = validateNode(node);
  const was = old.spec ?? {};
  const now = node.spec ?? {};
  if ((was.podCIDRs ?? []).length > 0 && !semanticEqual(was.podCIDRs, now.podCIDRs)) {
    errs.push(forbidden("spec.podCIDRs", 'node updates may not change podCIDR except from "" to valid'));
  }
  if (was.providerID && was.providerID !== now.providerID) {
    errs.push(forbidden("spec.providerID", 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

export function validateNodeStatusUpdate(node: Node, _old: Node): FieldError[] {
  return [
    ...validateObjectMeta(node.metadata, { namespaced: false, nameCheck: nameIsDNSSubdomain }),
    ...validateNodeStatus(node),
  ];
}
