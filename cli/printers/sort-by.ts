// kubectl get --sort-by=<jsonpath>: objects (or table rows, by the object each row carries) in the
// order of one field. Numbers compare as numbers, strings that are both quantities ("500m", "1Gi")
// as quantities, other strings byte by byte ("pod-10" before "pod-9", as kubectl 1.32 prints them);
// timestamps are RFC 3339 strings and so sort in time order. An object without the field sorts
// first. A field no object has is an error, as in kubectl.

import { Quantity } from "../../api/index.js";
import { JsonPath, relaxedJsonPath } from "../jsonpath/index.js";

export class SortError extends Error {}

function isLess(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a < b;
  if (typeof a === "string" && typeof b === "string") {
    const [qa, qb] = [Quantity.tryParse(a), Quantity.tryParse(b)];
    return qa && qb ? qa.cmp(qb) < 0 : a < b;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    // As kubectl: the first pair that is not in order decides; all in order counts as less.
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (!isLess(a[i], b[i])) return false;
    return true;
  }
  if (a === null && b === null) return false;
  if (a === null) return true;
  if (b === null) return false;
  throw new SortError(`unsortable type: ${typeof a === "object" ? "map[string]interface {}" : typeof a}`);
}

/**
 * `items` ordered by `field` (kubectl's relaxed path: "metadata.name", "{.spec.replicas}"). `of`
 * reaches the object in each item. Insertion sort with kubectl's comparison, which is what Go's
 * sort does for the short lists people print: a missing field counts as less than anything, even
 * another missing one, so the relative order of such objects matches kubectl's too.
 */
export function sortBy<T>(items: readonly T[], field: string, of: (item: T) => unknown): T[] {
  const expr = relaxedJsonPath(field);
  const path = JsonPath.parse(expr);
  const keyed = items.map((item) => {
    const groups = path.find(of(item), { allowMissingKeys: true });
    const first = groups[0];
    return { item, found: !!first && first.length > 0, key: first?.[0] };
  });
  if (keyed.length > 0 && !keyed.some((k) => k.found))
    throw new SortError(`couldn't find any field with path "${expr}" in the list of objects`);
  const less = (x: (typeof keyed)[number], y: (typeof keyed)[number]) =>
    !x.found ? true : !y.found ? false : isLess(x.key, y.key);
  for (let i = 1; i < keyed.length; i++) {
    for (let j = i; j > 0 && less(keyed[j]!, keyed[j - 1]!); j--) {
      [keyed[j], keyed[j - 1]] = [keyed[j - 1]!, keyed[j]!];
    }
  }
  return keyed.map((k) => k.item);
}
