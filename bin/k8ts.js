#!/usr/bin/env node
// The one k8ts executable: every verb lives in dist/cli (built by `npm run build`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
if (!existsSync(main)) {
  process.stderr.write("k8ts is not built yet: run `npm ci && npm run build` in the repository first.\n");
  process.exit(1);
}
await import(main);
