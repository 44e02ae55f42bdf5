// The scheduler against a real API server on a real etcd, with fake Node objects (no node agents).
// Each test runs its own scheduler under its own profile name, so pods of other tests are not its
// business, and removes its nodes afterwards.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Event, Node, Pod } from "../api/index.js";
import { resourceFor } from "../api/index.js";
import { RestClient } from "../client/index.js";
import { startTestApiServer, type TestCluster } from "../testing/apiserver.js";
import { waitFor } from "../testing/index.js";
import { buildSchedulerConfig } from "./config.js";
import { makeNode, makePod, type NodeSpecOptions, type PodSpecOptions } from "./fixtures.js";
import { apiBinder, Scheduler, type SchedulerOptions } from "./scheduler.js";

const PODS = resourceFor("", "pods")!;
const NODES = resourceFor("", "nodes")!;
const EVENTS = resourceFor("", "events")!;

let cluster: TestCluster;
let client: RestClient;

before(async () => {
  cluster = await startTestApiServer();
  client = new RestClient({ server: cluster.url });
});
after(async () => {
  await cluster?.stop();
});

/** Runs `body` with a scheduler for profile `name`, nodes made first, everything removed after. */
async function withScheduler(
  name: string,
  nodes: Record<string, NodeSpecOptions>,
  body: (h: { pod(n: string, o?: PodSpecOptions): Promise<Pod>; scheduler: Scheduler }) => Promise<void>,
  profile: Record<string, unknown> = {},
  options: Partial<SchedulerOptions> = {},
): Promise<void> {
  for (const [n, o] of Object.entries(nodes)) await client.create(NODES, makeNode(`${name}-${n}`, o));
  const scheduler = new Scheduler({
    client,
    config: buildSchedulerConfig({ profiles: [{ schedulerName: name, ...profile }] }, "test"),
    ...options,
  });
  const stop = new AbortController();
  let loop: Promise<void> | undefined;
  try {
    assert.ok(await scheduler.start());
    loop = scheduler.run(stop.signal);
    await body({
      scheduler,
      pod: (n, o = {}) => client.create<Pod>(PODS, makePod(`${name}-${n}`, { ...o, schedulerName: name })),
    });
  } finally {
    stop.abort();
    await loop;
    await scheduler.stop();
    for (const n of Object.keys(nodes)) await client.delete(NODES, `${name}-${n}`).catch(() => {});
  }
}

function boundNode(name: string): Promise<string> {
  return waitFor(async () => (await client.get<Pod>(PODS, name, { namespace: "default" })).spec?.nodeName, {
    timeoutMs: 10_000,
    what: `pod ${name} to be bound`,
  });
}

async function eventsFor(pod: string, reason: string): Promise<Event[]> {
  const list = await client.list<Event>(EVENTS, { namespace: "default" });
  return list.items.filter((e) => e.involvedObject.name === pod && e.reason === reason);
}

describe("scheduler on a real API server", () => {
  test("MostAllocated packs pods onto the fullest node that fits, and says so in a Scheduled event", async () => {
    await withScheduler("pack", { a: {}, b: {}, c: {} }, async ({ pod }) => {
      // pack-a already runs 2 of its 4 cpus.
      await client.create(PODS, makePod("pack-existing", { cpu: "2", nodeName: "pack-a" }));
      await pod("p1", { cpu: "1" });
      assert.equal(await boundNode("pack-p1"), "pack-a");
      await pod("p2", { cpu: "2" }); // 3 + 2 > 4: not on pack-a
      const p2Node = await boundNode("pack-p2");
      assert.notEqual(p2Node, "pack-a");
      await pod("p3", { cpu: "1" }); // fills pack-a exactly: fuller than the other half-full node
      assert.equal(await boundNode("pack-p3"), "pack-a");
      const [ev] = await waitFor(async () => {
        const evs = await eventsFor("pack-p1", "Scheduled");
        return evs.length ? evs : undefined;
      });
      assert.equal(ev!.message, "Successfully assigned default/pack-p1 to pack-a");
      assert.equal(ev!.source?.component, "default-scheduler");
    });
  });

  test("LeastAllocated spreads pods over the emptiest nodes", async () => {
    const profile = {
      pluginConfig: [{ name: "NodeResourcesFit", args: { scoringStrategy: { type: "LeastAllocated" } } }],
    };
    await withScheduler(
      "spread",
      { a: {}, b: {}, c: {} },
      async ({ pod }) => {
        const used = new Set<string>();
        for (const n of ["p1", "p2", "p3"]) {
          await pod(n, { cpu: "1", memory: "1Gi" });
          used.add(await boundNode(`spread-${n}`));
        }
        assert.deepEqual([...used].sort(), ["spread-a", "spread-b", "spread-c"]);
      },
      profile,
    );
  });

  test("taints, node selectors and required node affinity are honoured; a misfit gets Kubernetes' summary", async () => {
    const gpuTaint = { key: "dedicated", value: "gpu", effect: "NoSchedule" as const };
    await withScheduler(
      "fit",
      { gpu: { labels: { accel: "gpu" }, taints: [gpuTaint] }, ssd: { labels: { disk: "ssd" } }, plain: {} },
      async ({ pod, scheduler }) => {
        await pod("wants-ssd", { nodeSelector: { disk: "ssd" } });
        assert.equal(await boundNode("fit-wants-ssd"), "fit-ssd");
        const gpuAffinity = {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "accel", operator: "In" as const, values: ["gpu"] }] },
              ],
            },
          },
        };
        await pod("gpu-tolerant", {
          affinity: gpuAffinity,
          tolerations: [{ key: "dedicated", operator: "Exists" }],
        });
        assert.equal(await boundNode("fit-gpu-tolerant"), "fit-gpu");
        await pod("gpu-intolerant", { affinity: gpuAffinity });
        const [ev] = await waitFor(async () => {
          const evs = await eventsFor("fit-gpu-intolerant", "FailedScheduling");
          return evs.length ? evs : undefined;
        });
        assert.equal(
          ev!.message,
          "0/3 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}.",
        );
        assert.equal(ev!.type, "Warning");
        const decision = scheduler.decisions.get("default/fit-gpu-intolerant")!;
        assert.equal(decision.result, "Unschedulable");
        assert.deepEqual(
          decision.filtered.map((f) => [f.plugin, f.count, f.nodes.sort()]),
          [
            ["NodeAffinity", 2, ["fit-plain", "fit-ssd"]],
            ["TaintToleration", 1, ["fit-gpu"]],
          ],
        );
        const stored = await client.get<Pod>(PODS, "fit-gpu-intolerant", { namespace: "default" });
        assert.equal(stored.spec?.nodeName, undefined);
      },
    );
  });

  test("a pod that fits nowhere stays Pending, marked Unschedulable, and is bound once a big enough node appears", async () => {
    await withScheduler("grow", { small: { cpu: "2" } }, async ({ pod, scheduler }) => {
      await pod("big", { cpu: "8" });
      const cond = await waitFor(async () => {
        const p = await client.get<Pod>(PODS, "grow-big", { namespace: "default" });
        return p.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
      });
      assert.equal(cond.reason, "Unschedulable");
      assert.equal(cond.message, "0/1 nodes are available: 1 Insufficient cpu.");
      assert.equal(scheduler.queue.whereIs("default/grow-big"), "unschedulable");
      await client.create<Node>(NODES, makeNode("grow-large", { cpu: "16" }));
      try {
        assert.equal(await boundNode("grow-big"), "grow-large");
      } finally {
        await client.delete(NODES, "grow-large").catch(() => {});
      }
    });
  });

  test("a node deleted between decision and bind: the bind is refused, the pod retried elsewhere, never bound to it", async () => {
    const real = apiBinder(client);
    const refused: string[] = [];
    // Deletes the chosen node just before binding, as if it vanished in between.
    const binder = {
      async bind(pod: Pod, node: string) {
        if (node === "vanish-doomed") await client.delete(NODES, node);
        try {
          await real.bind(pod, node);
        } catch (err) {
          refused.push(`${node}: ${(err as Error).message}`);
          throw err;
        }
      },
    };
    await withScheduler(
      "vanish",
      { doomed: {} },
      async ({ pod }) => {
        await pod("p", { cpu: "1" });
        await waitFor(() => refused.length > 0, { what: "the bind to be refused" });
        assert.match(refused[0]!, /^vanish-doomed: nodes "vanish-doomed" not found/);
        await client.create(NODES, makeNode("vanish-spare"));
        try {
          assert.equal(await boundNode("vanish-p"), "vanish-spare");
        } finally {
          await client.delete(NODES, "vanish-spare").catch(() => {});
        }
        const failed = await eventsFor("vanish-p", "FailedScheduling");
        assert.ok(
          failed.some((e) => /^Binding rejected: .*nodes "vanish-doomed" not found/.test(e.message ?? "")),
        );
      },
      {},
      { binder },
    );
  });
});
