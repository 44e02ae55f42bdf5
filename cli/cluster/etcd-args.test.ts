import assert from "node:assert/strict";
import { test } from "node:test";
import { etcdEnv } from "./etcd-args.js";

test("etcd gets half the cores as GOMAXPROCS, at least one, and the rest of the environment", () => {
  assert.equal(etcdEnv({ PATH: "/bin" }, 2).GOMAXPROCS, "1");
  assert.equal(etcdEnv({ PATH: "/bin" }, 1).GOMAXPROCS, "1");
  assert.equal(etcdEnv({ PATH: "/bin" }, 8).GOMAXPROCS, "4");
  assert.equal(etcdEnv({ PATH: "/bin" }, 8).PATH, "/bin");
});

test("a GOMAXPROCS the caller set is kept", () => {
  assert.equal(etcdEnv({ GOMAXPROCS: "3" }, 2).GOMAXPROCS, "3");
});
