// End to end with the real kubectl: each command of CAPTURES runs against the capture server,
// which decodes what kubectl 1.32 and 1.33 send as protobuf. The oracle is kubectl 1.31, which sends
// the same objects as JSON: the decoded protobuf must equal that JSON, less its nulls and empty
// structs (what omitempty-less Go structs add) and the status the server ignores on writes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PROTOBUF_CONTENT_TYPE } from "./index.js";
import { CAPTURES, captureKubectl, kubectlBinary } from "./kubectl-capture.js";

function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const p = prune(v);
    if (p === null || (typeof p === "object" && !Array.isArray(p) && Object.keys(p as object).length === 0))
      continue;
    out[k] = p;
  }
  return out;
}

async function jsonOracle(args: string[]): Promise<Record<string, unknown>> {
  const { result, requests } = await captureKubectl(kubectlBinary("1.31"), args);
  assert.equal(result.code, 0, `kubectl 1.31 failed: ${result.stderr}`);
  assert.equal(requests.length, 1);
  assert.match(requests[0].contentType, /^application\/json/);
  const { status: _ignored, ...object } = JSON.parse(requests[0].body.toString("utf8"));
  return prune(object) as Record<string, unknown>;
}

for (const [name, args] of Object.entries(CAPTURES)) {
  test(`kubectl ${args.join(" ")}: protobuf from 1.32 and 1.33 decodes to what 1.31 sends as JSON`, async () => {
    const expected = await jsonOracle(args);
    for (const version of ["1.32", "1.33"] as const) {
      const { result, requests } = await captureKubectl(kubectlBinary(version), args);
      assert.equal(result.code, 0, `kubectl ${version} ${name}: ${result.stderr}`);
      assert.equal(requests.length, 1, `kubectl ${version} ${name}: one write`);
      const [write] = requests;
      assert.equal(write.contentType, PROTOBUF_CONTENT_TYPE);
      assert.equal(write.decodeError, undefined);
      assert.deepEqual(write.decoded?.object, expected, `kubectl ${version} ${name}`);
    }
  });
}

test("kubectl prints the server's answer to a decoded protobuf write", async () => {
  const create = await captureKubectl(kubectlBinary("1.32"), CAPTURES.deployment);
  assert.equal(create.result.stdout, "deployment.apps/d1 created\n");
  const canI = await captureKubectl(kubectlBinary("1.32"), CAPTURES["auth-can-i"]);
  assert.equal(canI.result.stdout, "yes\n");
});
