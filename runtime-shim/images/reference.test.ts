import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeReference } from "./reference.js";

test("references normalise as Docker does", () => {
  const cases: [string, string][] = [
    ["busybox", "docker.io/library/busybox:latest"],
    ["busybox:1.36", "docker.io/library/busybox:1.36"],
    ["team/app", "docker.io/team/app:latest"],
    ["localhost:5000/app:v2", "localhost:5000/app:v2"],
    ["registry.example.com/x/y", "registry.example.com/x/y:latest"],
    ["busybox@sha256:abcd", "docker.io/library/busybox@sha256:abcd"],
  ];
  for (const [input, want] of cases) assert.equal(normalizeReference(input), want, input);
});
