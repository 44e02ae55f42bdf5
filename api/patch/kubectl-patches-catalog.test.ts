import assert from "node:assert/strict";
import { test } from "node:test";
import { CATALOG } from "../catalog/index.js";
import { strategicMergePatch } from "./index.js";
import { directiveKeys, KUBECTL_PATCHES } from "./testdata-kubectl.js";

// The same observed kubectl patches, driven by the real schema catalog the API server uses: proves
// that catalog carries the merge keys and strategies (§5.4) these patches depend on.
for (const c of KUBECTL_PATCHES) {
  test(`kubectl patch on the real catalog: ${c.name}`, () => {
    const result = strategicMergePatch(c.live, c.patch, CATALOG, c.root);
    c.check(result);
    assert.deepEqual(directiveKeys(result), []);
  });
}
