import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type NodeIdentity, nodeStatus, nodeToRegister } from "./node-status.js";

const id: NodeIdentity = {
  nodeName: "n1",
  address: "10.0.0.7",
  port: 10250,
  cpu: "4",
  memory: "8Gi",
  maxPods: 20,
  labels: { zone: "a" },
  taints: [{ key: "lab", value: "x", effect: "NoSchedule" }],
};
const up = { ok: true, message: "", version: "k8ts://0.1" };
const T0 = Date.parse("2026-01-01T00:00:00Z");

describe("node status", () => {
  it("registers with the flags' capacity, labels, taints, addresses and endpoint", () => {
    const n = nodeToRegister(id, up, T0);
    assert.deepEqual(n.status?.capacity, { cpu: "4", memory: "8Gi", pods: "20" });
    assert.deepEqual(n.status?.allocatable, n.status?.capacity);
    assert.equal(n.metadata.labels?.["kubernetes.io/hostname"], "n1");
    assert.equal(n.metadata.labels?.zone, "a");
    assert.deepEqual(n.spec?.taints, id.taints);
    assert.deepEqual(n.status?.addresses, [
      { type: "InternalIP", address: "10.0.0.7" },
      { type: "Hostname", address: "n1" },
    ]);
    assert.equal(n.status?.daemonEndpoints?.kubeletEndpoint?.Port, 10250);
    assert.equal(n.status?.nodeInfo?.containerRuntimeVersion, "k8ts://0.1");
  });

  it("Ready follows the runtime; transition time moves only when the status flips", () => {
    const first = nodeStatus(id, up, T0);
    const ready = (s: typeof first) => s.conditions!.find((c) => c.type === "Ready")!;
    assert.equal(ready(first).status, "True");
    const later = nodeStatus(id, up, T0 + 60_000, first);
    assert.equal(ready(later).lastTransitionTime, ready(first).lastTransitionTime);
    assert.notEqual(ready(later).lastHeartbeatTime, ready(first).lastHeartbeatTime);
    const down = nodeStatus(
      id,
      { ok: false, message: "connection refused", version: "" },
      T0 + 120_000,
      later,
    );
    assert.equal(ready(down).status, "False");
    assert.equal(ready(down).reason, "KubeletNotReady");
    assert.match(ready(down).message ?? "", /container runtime is down: connection refused/);
    assert.equal(ready(down).lastTransitionTime, "2026-01-01T00:02:00Z");
  });
});
