import assert from "node:assert/strict";
import { test } from "node:test";
import { identityOf, orderElements, partitionByPresence } from "./element-order.js";

// Kubernetes' normalizeElementOrder on primitives: `named` follow `namedOrder`, server-only
// elements keep their server order and slot in before the first named element that followed them.
const rows: { name: string; merged: string[]; order: string[]; server: string[]; want: string[] }[] = [
  {
    name: "named elements follow the order",
    merged: ["a", "b", "c"],
    order: ["c", "b", "a"],
    server: ["a", "b", "c"],
    want: ["c", "b", "a"],
  },
  {
    name: "a server-only element keeps its slot",
    merged: ["a", "x", "b"],
    order: ["b", "a"],
    server: ["a", "x", "b"],
    want: ["x", "b", "a"],
  },
  {
    name: "a server-only element at the end stays last",
    merged: ["a", "b", "x"],
    order: ["b", "a"],
    server: ["a", "b", "x"],
    want: ["b", "a", "x"],
  },
  {
    name: "new named elements come before server-only ones",
    merged: ["x", "n"],
    order: ["n"],
    server: ["x"],
    want: ["n", "x"],
  },
  {
    name: "duplicates on the server keep the first position",
    merged: ["a", "b", "a"],
    order: ["b"],
    server: ["a", "b", "a"],
    want: ["a", "a", "b"],
  },
  {
    name: "an empty order keeps the server order",
    merged: ["b", "a"],
    order: [],
    server: ["b", "a"],
    want: ["b", "a"],
  },
];

for (const r of rows) {
  test(`orderElements: ${r.name}`, () => {
    const id = identityOf(undefined);
    const [named, serverOnly] = partitionByPresence(r.merged, r.order, id);
    assert.deepEqual(orderElements(named, serverOnly, r.order, r.server, id), r.want);
  });
}

test("identityOf a merge key identifies objects by that key only", () => {
  const id = identityOf("name");
  const [named, rest] = partitionByPresence(
    [{ name: "a", v: 1 }, { name: "b" }, { v: 2 }],
    [{ name: "a" }],
    id,
  );
  assert.deepEqual(named, [{ name: "a", v: 1 }]);
  assert.deepEqual(rest, [{ name: "b" }, { v: 2 }]);
});
