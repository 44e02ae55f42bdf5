import assert from "node:assert/strict";
import { test } from "node:test";
import { etcdVersionWarning, parseEtcdVersion } from "./etcd-version.js";

const OUTPUT = (v: string) => `etcd Version: ${v}\nGit SHA: Not provided\nGo Version: go1.24.0\n`;

test("etcd's version is read from `etcd --version`", () => {
  assert.equal(parseEtcdVersion(OUTPUT("3.5.16")), "3.5.16");
  assert.equal(parseEtcdVersion("etcd: command not found"), undefined);
});

test("etcd 3.4 gets a warning that says how to install 3.5; 3.5 and newer get none", () => {
  const w = etcdVersionWarning(OUTPUT("3.4.23"));
  assert.match(w ?? "", /etcd 3\.4\.23 is older than 3\.5/);
  assert.match(w ?? "", /deploy\/install-deps\.sh/);
  assert.equal(etcdVersionWarning(OUTPUT("3.5.0")), undefined);
  assert.equal(etcdVersionWarning(OUTPUT("3.5.16")), undefined);
  assert.equal(etcdVersionWarning(OUTPUT("3.10.1")), undefined, "compared as numbers, not text");
  assert.equal(etcdVersionWarning(OUTPUT("4.0.0")), undefined);
});

test("an etcd whose version cannot be read gets a warning too", () => {
  assert.match(etcdVersionWarning("something else") ?? "", /could not tell etcd's version/);
});
