import assert from "node:assert/strict";
import { test } from "node:test";
import { strategicMergePatch } from "./index.js";
import { TEST_CATALOG } from "./testdata-catalog.js";
import { directiveKeys, KUBECTL_PATCHES } from "./testdata-kubectl.js";

for (const c of KUBECTL_PATCHES) {
  test(`kubectl patch on the fixture catalog: ${c.name}`, () => {
    const before = structuredClone(c.live);
    const result = strategicMergePatch(c.live, c.patch, TEST_CATALOG, c.root);
    c.check(result);
    assert.deepEqual(directiveKeys(result), []);
    assert.deepEqual(c.live, before);
  });
}
