// Which objects a list or watch returns: namespace, label selector and field selector, from the query.

import { parseFieldSelector, parseLabelSelector, SelectorError } from "../api/index.js";
import type { KubeObject } from "../api/meta.js";
import { fieldValue, type ResourceType, supportsFieldLabel } from "../api/resources.js";
import { badRequest } from "./errors.js";

export function filterFor(
  r: ResourceType,
  namespace: string | undefined,
  q: URLSearchParams,
): ((o: KubeObject) => boolean) | undefined {
  const tests: ((o: KubeObject) => boolean)[] = [];
  const labelSel = q.get("labelSelector");
  if (labelSel) {
    let m: ReturnType<typeof parseLabelSelector>;
    try {
      m = parseLabelSelector(labelSel);
    } catch (err) {
      if (err instanceof SelectorError) throw badRequest(`unable to parse requirement: ${err.message}`);
      throw err;
    }
    if (!m.empty) tests.push((o) => m.matches(o.metadata.labels));
  }
  const fieldSel = q.get("fieldSelector");
  if (fieldSel) {
    let reqs: ReturnType<typeof parseFieldSelector>;
    try {
      reqs = parseFieldSelector(fieldSel);
    } catch (err) {
      if (err instanceof SelectorError) throw badRequest(err.message);
      throw err;
    }
    for (const req of reqs) {
      if (!supportsFieldLabel(r, req.field)) {
        throw badRequest(`field label not supported: ${req.field}`);
      }
      tests.push((o) => {
        const v = fieldValue(r, o, req.field) ?? "";
        return req.op === "!=" ? v !== req.value : v === req.value;
      });
    }
  }
  // Namespace is part of the storage prefix for lists; watches span the resource, so test it here.
  if (namespace !== undefined && r.namespaced) tests.push((o) => o.metadata.namespace === namespace);
  if (tests.length === 0) return undefined;
  return (o) => tests.every((t) => t(o));
}
