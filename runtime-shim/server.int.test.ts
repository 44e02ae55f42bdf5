import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { connectRuntime, GrpcStatus, type ServiceError } from "../proto/runtime/v1/index.js";
import { ProcessBackend } from "./backends/process/index.js";
import { startShim } from "./server.js";

test("metrics count calls by method and outcome; /healthz answers; a stale socket is replaced, a live one is not", async () => {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-shim-metrics-"));
  const listen = `unix://${join(dir, "runtime.sock")}`;
  const first = await startShim({ listen, root: join(dir, "root"), backend: new ProcessBackend() });
  await first.close(); // leaves the socket file behind, as a crashed shim would
  const shim = await startShim({
    listen,
    root: join(dir, "root"),
    backend: new ProcessBackend(),
    metricsAddress: "127.0.0.1:0",
  });
  const { runtime, image } = connectRuntime(shim.address);
  try {
    await runtime.Version({});
    await runtime.Version({});
    const err = await runtime.ContainerStatus({ containerId: "0".repeat(64) }).catch((e: ServiceError) => e);
    assert.equal((err as ServiceError).code, GrpcStatus.NOT_FOUND);
    await image.ListImages({});

    const base = `http://127.0.0.1:${shim.metricsPort}`;
    assert.equal(await (await fetch(`${base}/healthz`)).text(), "ok");
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /k8ts_runtime_operations_total\{method="Version",outcome="OK"\} 2/);
    assert.match(text, /k8ts_runtime_operations_total\{method="ContainerStatus",outcome="NOT_FOUND"\} 1/);
    assert.match(text, /k8ts_runtime_operations_total\{method="ListImages",outcome="OK"\} 1/);
    assert.match(text, /k8ts_runtime_operation_duration_seconds_count\{method="Version"\} 2/);

    // A live shim's socket is not taken over by a second one.
    await assert.rejects(
      startShim({ listen, root: join(dir, "other"), backend: new ProcessBackend() }),
      /another runtime is already serving/,
    );
  } finally {
    runtime.close();
    image.close();
    await shim.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
