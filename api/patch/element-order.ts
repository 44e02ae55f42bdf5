// The order of a merged list, as Kubernetes' strategic merge patch computes it (the design
// "preserve order in strategic merge patch"): elements named by the patch (or by its
// $setElementOrder list) follow that order; elements only on the server keep their order among
// themselves and are slotted in before the first named element that came after them on the
// server. A named element the server did not have is never "after" anything, so without a
// $setElementOrder list new elements come first, as in Kubernetes.

import { isJsonObject } from "./json-value.js";

/** What identifies an element: its merge key value in a list of objects, the value itself otherwise. */
export type Identity = (element: unknown) => unknown;

export function identityOf(mergeKey: string | undefined): Identity {
  if (mergeKey === undefined) return (element) => element;
  return (element) =>
    isJsonObject(element) && Object.hasOwn(element, mergeKey) ? element[mergeKey] : undefined;
}

export function sameElement(a: unknown, b: unknown, id: Identity): boolean {
  const key = idKey(id(a));
  return key !== undefined && key === idKey(id(b));
}

/** Splits `items` into those `reference` names and those it does not, keeping their order. */
export function partitionByPresence(
  items: readonly unknown[],
  reference: readonly unknown[],
  id: Identity,
): [named: unknown[], unnamed: unknown[]] {
  const named = positions(reference, id);
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const item of items) (position(named, item, id) === undefined ? absent : present).push(item);
  return [present, absent];
}

/**
 * Kubernetes' normalizeElementOrder: `named` sorted by `namedOrder`, `serverOnly` sorted by
 * `serverOrder`, then interleaved with the server's order as the tie-breaker.
 */
export function orderElements(
  named: readonly unknown[],
  serverOnly: readonly unknown[],
  namedOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  id: Identity,
): unknown[] {
  const server = positions(serverOrder, id);
  const left = sortByPosition(serverOnly, server, id);
  const right = sortByPosition(named, positions(namedOrder, id), id);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const l = position(server, left[i], id);
    const r = position(server, right[j], id);
    if (l !== undefined && r !== undefined && l < r) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return out.concat(left.slice(i), right.slice(j));
}

function idKey(identity: unknown): string | undefined {
  return identity === undefined ? undefined : JSON.stringify(identity);
}

/** The index of the first occurrence of each identity in `list`. */
function positions(list: readonly unknown[], id: Identity): Map<string, number> {
  const map = new Map<string, number>();
  list.forEach((element, index) => {
    const key = idKey(id(element));
    if (key !== undefined && !map.has(key)) map.set(key, index);
  });
  return map;
}

function position(map: Map<string, number>, element: unknown, id: Identity): number | undefined {
  const key = idKey(id(element));
  return key === undefined ? undefined : map.get(key);
}

/** A stable sort by position; elements without one keep their relative order after the others. */
function sortByPosition(items: readonly unknown[], map: Map<string, number>, id: Identity): unknown[] {
  const at = (item: unknown) => position(map, item, id) ?? Number.MAX_SAFE_INTEGER;
  return [...items].sort((a, b) => at(a) - at(b));
}
