// `k8ts scheduler` as a real process: bad config fails at start, /metrics, /healthz and
// /debug/decisions answer, and with --leader-elect one of two schedulers binds; killing it hands
// over within the lease duration, with no pod bound twice.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Event, Pod } from "../api/index.js";
import { resourceFor } from "../api/index.js";
import { RestClient } from "../client/index.js";
import { startTestApiServer, type TestCluster } from "../testing/apiserver.js";
import { type Daemon, K8TS_MAIN, run, startK8ts, waitFor } from "../testing/index.js";
import type { Decision } from "./decisions.js";
import { makeNode, makePod } from "./fixtures.js";

const PODS = resourceFor("", "pods")!;
const NODES = resourceFor("", "nodes")!;
const EVENTS = resourceFor("", "events")!;

let cluster: TestCluster;
let client: RestClient;
let dir: string;

before(async () => {
  cluster = await startTestApiServer();
  client = new RestClient({ server: cluster.url });
  dir = mkdtempSync(join(tmpdir(), "k8ts-sched-"));
  await client.create(NODES, makeNode("cmd-node", { cpu: "64", memory: "64Gi" }));
});
after(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function startScheduler(extra: string[]): Daemon {
  return startK8ts(["scheduler", "--master", cluster.url, "--metrics-bind-address", "127.0.0.1:0", ...extra]);
}

async function metricsPort(d: Daemon): Promise<number> {
  const m = await waitFor(() => /serving \/metrics on 127\.0\.0\.1:(\d+)/.exec(d.output()), {
    timeoutMs: 15_000,
    what: "the scheduler to serve /metrics",
  });
  return Number(m[1]);
}

function bound(name: string): Promise<string> {
  return waitFor(async () => (await client.get<Pod>(PODS, name, { namespace: "default" })).spec?.nodeName, {
    timeoutMs: 15_000,
    what: `pod ${name} to be bound`,
  });
}

async function scheduledEvents(pod: string): Promise<Event[]> {
  const list = await client.list<Event>(EVENTS, { namespace: "default" });
  return list.items.filter((e) => e.involvedObject.name === pod && e.reason === "Scheduled");
}

describe("k8ts scheduler", () => {
  test("bad flags and a config naming an unknown plugin fail at start with a clear message", async () => {
    const flag = await run(process.execPath, [
      K8TS_MAIN,
      "scheduler",
      "--master",
      cluster.url,
      "--leader-elect-lease-duration",
      "5x",
    ]);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /--leader-elect-lease-duration must be a duration like/);
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "profiles:\n- plugins:\n    filter:\n      enabled: [{name: NodeMagic}]\n");
    const r = await run(process.execPath, [
      K8TS_MAIN,
      "scheduler",
      "--master",
      cluster.url,
      "--config",
      file,
    ]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /invalid scheduler config: .*bad\.yaml: profiles\[0\]\.plugins\.filter\.enabled\[0\]: unknown plugin "NodeMagic"/,
    );
  });

  test("serves /healthz, /metrics and the decision for a pod it bound", async () => {
    const s = startScheduler([]);
    try {
      const port = await metricsPort(s);
      await client.create(PODS, makePod("cmd-observed", { cpu: "1" }));
      assert.equal(await bound("cmd-observed"), "cmd-node");
      const base = `http://127.0.0.1:${port}`;
      assert.equal(await (await fetch(`${base}/healthz`)).text(), "ok\n");
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(
        metrics,
        /scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} [1-9]/,
      );
      assert.match(
        metrics,
        /scheduler_e2e_scheduling_duration_seconds_count\{profile="default-scheduler"\} [1-9]/,
      );
      assert.match(metrics, /scheduler_pending_pods\{queue="unschedulable"\} 0/);
      const decision = (await (
        await fetch(`${base}/debug/decisions/default/cmd-observed`)
      ).json()) as Decision;
      assert.equal(decision.result, "Scheduled");
      assert.equal(decision.node, "cmd-node");
      assert.deepEqual(decision.nodes, { total: 1, evaluated: 1, feasible: 1 });
      assert.deepEqual(
        decision.scores.map((x) => x.node),
        ["cmd-node"],
      );
      assert.equal((await fetch(`${base}/debug/decisions/default/nope`)).status, 404);
    } finally {
      await s.stop();
    }
  });

  test("leader election: one of two schedulers binds; killing it hands over within the lease", async () => {
    const args = [
      "--leader-elect",
      "--leader-elect-resource-name",
      "sched-failover",
      "--leader-elect-lease-duration",
      "2s",
      "--leader-elect-renew-deadline",
      "1500ms",
      "--leader-elect-retry-period",
      "250ms",
    ];
    const a = startScheduler(args);
    const b = startScheduler(args);
    try {
      const leader = await waitFor(() => [a, b].find((d) => d.output().includes("became leader")), {
        timeoutMs: 15_000,
        what: "a leader",
      });
      const follower = leader === a ? b : a;
      await client.create(PODS, makePod("fo-before", { cpu: "1" }));
      await bound("fo-before");
      await waitFor(async () => (await scheduledEvents("fo-before")).length === 1, {
        what: "the Scheduled event",
      });
      assert.ok(!follower.output().includes("became leader"), "only one leader");

      process.kill(-leader.child.pid!, "SIGKILL"); // no release: the lease must expire
      const killedAt = Date.now();
      await client.create(PODS, makePod("fo-after", { cpu: "1" }));
      await bound("fo-after");
      const takeoverMs = Date.now() - killedAt;
      // Lease 2 s, plus the follower's retry period with jitter and one scheduling round trip.
      assert.ok(takeoverMs < 2000 + 2 * 550 + 1500, `took over after ${takeoverMs} ms`);
      assert.ok(follower.output().includes("became leader"));
      await waitFor(async () => (await scheduledEvents("fo-after")).length === 1, {
        what: "the Scheduled event",
      });
      assert.equal((await scheduledEvents("fo-before")).length, 1, "no pod bound twice");
      assert.ok(!follower.output().includes("bind failed"), follower.output());
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
