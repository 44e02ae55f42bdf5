#!/usr/bin/env node
// Compiles the container monitor (runtime-shim/monitor/monitor.c, plain C over libc) into
// dist/runtime-shim/monitor/k8ts-monitor, beside the shim code that starts it. `cc` is the C
// compiler deploy/install-deps.sh installs (node-pty's build needs it too); CC overrides it.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";

const root = new URL("../", import.meta.url).pathname;
const out = `${root}dist/runtime-shim/monitor`;
mkdirSync(out, { recursive: true });
const cc = process.env.CC || "cc";
const res = spawnSync(
  cc,
  ["-O2", "-Wall", "-Wextra", "-o", `${out}/k8ts-monitor`, `${root}runtime-shim/monitor/monitor.c`],
  { stdio: "inherit" },
);
if (res.error) {
  console.error(`cannot run the C compiler "${cc}" (${res.error.message}): run deploy/install-deps.sh`);
  process.exit(1);
}
process.exit(res.status ?? 1);
