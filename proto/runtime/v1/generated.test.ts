import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type * as grpc from "@grpc/grpc-js";
import { ContainerState, runtimeServiceDefinition } from "./index.js";

const repo = fileURLToPath(new URL("../../../../", import.meta.url));

test("the generated code matches the .proto files", () => {
  const r = spawnSync(process.execPath, ["scripts/gen-proto.mjs", "--check"], {
    cwd: repo,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
});

test("messages round-trip through the wire codec with CRI's field names and enum values", () => {
  const def = runtimeServiceDefinition.ContainerStatus as grpc.MethodDefinition<object, any>;
  assert.equal(def.path, "/runtime.v1.RuntimeService/ContainerStatus");
  const bytes = def.responseSerialize({
    status: {
      id: "abc",
      state: ContainerState.CONTAINER_EXITED,
      exitCode: 137,
      reason: "OOMKilled",
      finishedAt: 1.5e18,
    },
  });
  const back = def.responseDeserialize(bytes);
  assert.equal(back.status.id, "abc");
  assert.equal(back.status.state, 2);
  assert.equal(back.status.exitCode, 137);
  assert.equal(back.status.reason, "OOMKilled");
  assert.equal(back.status.finishedAt, 1.5e18);
  assert.equal(back.status.startedAt, 0, "absent scalars decode as proto3 zero values");
  assert.equal(back.status.metadata, undefined, "absent messages decode as undefined");
});
