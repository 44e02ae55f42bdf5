import assert from "node:assert/strict";
import { test } from "node:test";
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
} from "./names.js";

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

test("DNS-1123 names give Kubernetes' messages", () => {
  const cases: [fn: (s: string) => string[], input: string, want: string[]][] = [
    [isDNS1123Subdomain, "web", []],
    [isDNS1123Subdomain, "web-1.example.com", []],
    [isDNS1123Subdomain, "Foo_bar", [SUBDOMAIN_MSG]],
    [isDNS1123Subdomain, "-web", [SUBDOMAIN_MSG]],
    [isDNS1123Subdomain, "a".repeat(254), ["must be no more than 253 characters"]],
    [isDNS1123Label, "kube-system", []],
    [isDNS1123Label, "a.b", [LABEL_MSG]],
    [isDNS1123Label, "a".repeat(64), ["must be no more than 63 characters"]],
  ];
  for (const [fn, input, want] of cases)
    assert.deepEqual(fn(input), want, `${fn.name}(${input.slice(0, 20)})`);
});

test("qualified names and label values", () => {
  assert.deepEqual(isQualifiedName("app"), []);
  assert.deepEqual(isQualifiedName("app.kubernetes.io/name"), []);
  assert.deepEqual(isQualifiedName("/name"), ["prefix part must be non-empty"]);
  assert.equal(isQualifiedName("a/b/c").length, 1);
  assert.match(isQualifiedName("a/b/c")[0]!, /^a qualified name must consist of/);
  assert.match(isQualifiedName("Example.com/x")[0]!, /^prefix part a lowercase RFC 1123 subdomain/);
  assert.deepEqual(isQualifiedName("x".repeat(64)), ["name part must be no more than 63 characters"]);
  assert.deepEqual(isValidLabelValue(""), []);
  assert.deepEqual(isValidLabelValue("My_value.1"), []);
  assert.equal(isValidLabelValue("bad value").length, 1);
  assert.deepEqual(isValidLabelValue("v".repeat(64)), ["must be no more than 63 characters"]);
});

test("env var names and port names", () => {
  assert.deepEqual(isEnvVarName("MY_VAR.x-1"), []);
  assert.equal(isEnvVarName("1VAR").length, 1);
  assert.deepEqual(isEnvVarName(".."), ["must not be '..'"]);
  assert.deepEqual(isValidPortName("http"), []);
  assert.deepEqual(isValidPortName("80"), ["must contain at least one letter (a-z)"]);
  assert.deepEqual(isValidPortName("a--b"), ["must not contain consecutive hyphens"]);
  assert.deepEqual(isValidPortName("much-too-long-name"), ["must be no more than 15 characters"]);
});
