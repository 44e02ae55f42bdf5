import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Container, Pod } from "../../api/index.js";
import { FakeClock } from "../../client/index.js";
import type { ObservedContainer, ObservedPod, Runtime } from "../runtime.js";
import { ProbeManager } from "./prober-manager.js";

const settle = () => new Promise((r) => setImmediate(r));

/** Exec probes answer from `healthy` (by command name) at the moment they run. */
function setup(container: Container) {
  const clock = new FakeClock();
  const healthy: Record<string, boolean> = {};
  const execs: string[] = [];
  const events: string[] = [];
  const changes: string[] = [];
  const runtime = {
    ExecSync: async (req: { cmd: string[] }) => {
      execs.push(req.cmd[0]!);
      return { stdout: new Uint8Array(), stderr: new Uint8Array(), exitCode: healthy[req.cmd[0]!] ? 0 : 1 };
    },
  } as unknown as Runtime;
  const m = new ProbeManager({
    runtime,
    clock,
    events: { event: (_o, _t, reason, message) => events.push(`${reason}: ${message}`) },
    onChange: (uid) => changes.push(uid),
  });
  const pod: Pod = {
    metadata: { name: "p", namespace: "default", uid: "u" },
    spec: { containers: [container] },
  };
  const observed: ObservedPod = {
    uid: "u",
    sandboxes: [],
    containers: [{ id: "c1", name: container.name, state: "running" } as ObservedContainer],
  };
  m.syncPod(pod, observed, "127.0.0.1");
  /** Moves time forward one second at a time, letting each probe's exec settle. */
  const seconds = async (n: number) => {
    for (let i = 0; i < n; i++) {
      clock.advance(1000);
      await settle();
    }
  };
  return { m, healthy, execs, events, changes, seconds };
}

const exec = (name: string) => ({ exec: { command: [name] } });

describe("ProbeManager", () => {
  it("readiness starts as failure and flips after successThreshold successes, back after failureThreshold failures", async () => {
    const t = setup({
      name: "main",
      readinessProbe: { ...exec("ready"), periodSeconds: 1, successThreshold: 2, failureThreshold: 2 },
    });
    assert.equal(t.m.readiness.get("c1"), "failure");
    t.healthy.ready = true;
    await t.seconds(1);
    assert.equal(t.m.readiness.get("c1"), "failure", "one success is not enough");
    await t.seconds(1);
    assert.equal(t.m.readiness.get("c1"), "success");
    t.healthy.ready = false;
    await t.seconds(1);
    assert.equal(t.m.readiness.get("c1"), "success", "one failure is not enough");
    await t.seconds(1);
    assert.equal(t.m.readiness.get("c1"), "failure");
    assert.deepEqual(t.changes, ["u", "u"]);
    assert.ok(t.events.includes('Unhealthy: Readiness probe failed: command ["ready"] exited with 1'));
    t.m.stop();
  });

  it("liveness waits for initialDelaySeconds, uses Kubernetes' defaults (10 s period, 3 failures), then stops probing", async () => {
    const t = setup({ name: "main", livenessProbe: { ...exec("alive"), initialDelaySeconds: 5 } });
    assert.equal(t.m.liveness.get("c1"), "success");
    await t.seconds(4);
    assert.deepEqual(t.execs, []);
    await t.seconds(1);
    assert.deepEqual(t.execs, ["alive"]);
    await t.seconds(20);
    assert.equal(t.execs.length, 3);
    assert.equal(t.m.liveness.get("c1"), "failure");
    await t.seconds(30);
    assert.equal(t.execs.length, 3, "a failed liveness result waits for the kill; no more checks");
    t.m.stop();
  });

  it("a startup probe holds liveness and readiness back until it succeeds, then is done", async () => {
    const t = setup({
      name: "main",
      startupProbe: { ...exec("started"), periodSeconds: 1, failureThreshold: 30 },
      livenessProbe: { ...exec("alive"), periodSeconds: 1 },
      readinessProbe: { ...exec("ready"), periodSeconds: 1 },
    });
    t.healthy.alive = true;
    t.healthy.ready = true;
    await t.seconds(3);
    assert.deepEqual(new Set(t.execs), new Set(["started"]));
    assert.equal(t.m.readiness.get("c1"), "failure");
    t.healthy.started = true;
    await t.seconds(1);
    assert.equal(t.m.startup.get("c1"), "success");
    await t.seconds(2);
    assert.equal(t.m.readiness.get("c1"), "success");
    const startupChecks = t.execs.filter((e) => e === "started").length;
    await t.seconds(3);
    assert.equal(t.execs.filter((e) => e === "started").length, startupChecks);
    t.m.stop();
  });

  it("results are per container instance and dropped when the container is gone", async () => {
    const t = setup({ name: "main", readinessProbe: { ...exec("ready"), periodSeconds: 1 } });
    t.healthy.ready = true;
    await t.seconds(1);
    assert.equal(t.m.readiness.get("c1"), "success");
    t.m.removePod("u");
    assert.equal(t.m.readiness.has("c1"), false);
    const before = t.execs.length;
    await t.seconds(5);
    assert.equal(t.execs.length, before);
  });
});
