#!/usr/bin/env node
import { spawnSync } from "node:child_process";
// Finds the compiled test files under dist/ and hands them to Node's built-in test runner.
// `--unit` runs only the tests that need no real processes (files not under e2e/ and not *.int.test.js).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const args = process.argv.slice(2);
const unitOnly = args.includes("--unit");
const filters = args.filter((a) => !a.startsWith("--"));
const root = new URL("../dist/", import.meta.url).pathname;
const repo = new URL("../", import.meta.url).pathname;

/** tsc never deletes outputs: a test whose .ts source was removed (after a pull) is left out. */
const hasSource = (file) => existsSync(join(repo, relative(root, file).replace(/\.js$/, ".ts")));

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".test.js") && hasSource(p)) out.push(p);
  }
  return out;
}

let files = walk(root, []).map((f) => relative(process.cwd(), f));
if (unitOnly) files = files.filter((f) => !f.includes("/e2e/") && !f.endsWith(".int.test.js"));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
files.sort();
if (files.length === 0) {
  console.error("no test files found under dist/ (did the build run?)");
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ["--enable-source-maps", "--test", "--test-concurrency=2", "--test-timeout=300000", ...files],
  { stdio: "inherit" },
);
process.exit(res.status ?? 1);
