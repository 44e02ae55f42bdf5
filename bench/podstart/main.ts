// bench/podstart: time from creating a pod (already bound to the node) to the API server showing it
// Running, through the whole path — API server, watch, node agent, runtime-shim (runc), status write
// — for N pods created one after another (serial) and all at once (burst); beside it, in the same
// run and interleaved with the serial pods, the raw runtime work for one pod (RunPodSandbox +
// CreateContainer + StartContainer over gRPC), and the same raw work for N pods at once beside the burst.
// Prints one JSON document. Needs root and runc. Kubernetes' SLO: 5 s p99 at scale; goal here: p99 < 1 s.
//
// Flags: --pods 50

import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Pod } from "../../api/index.js";
import { RESOURCES } from "../../api/index.js";
import { startTestApiServer } from "../../testing/apiserver.js";
import { startTestNode, waitFor } from "../../testing/index.js";
import { percentile } from "../percentile.js";

const { values } = parseArgs({ options: { pods: { type: "string", default: "50" } } });
const N = Number(values.pods);
const PODS = RESOURCES.find((r) => r.kind === "Pod")!;
const NAMESPACES = RESOURCES.find((r) => r.kind === "Namespace")!;

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    p50Ms: percentile(s, 50, 1),
    p99Ms: percentile(s, 99, 1),
    maxMs: r(s[s.length - 1]!),
    meanMs: r(s.reduce((a, b) => a + b, 0) / s.length),
    n: s.length,
  };
}

const cluster = await startTestApiServer();
const node = await startTestNode({
  apiserverUrl: cluster.url,
  nodeName: "bench-node",
  // Real durations, except the resync: quiet pods should not cost CPU during the run.
  agent: { crashLoopBackoff: undefined, probeSecondMs: 1000, plegPeriodMs: 1000, resyncMs: 60_000 },
});
try {
  const ns = "podstart";
  await node.client.create(NAMESPACES, { metadata: { name: ns } });
  const pod = (name: string): Pod => ({
    metadata: { name, namespace: ns },
    spec: {
      nodeName: node.nodeName,
      terminationGracePeriodSeconds: 0,
      containers: [{ name: "main", image: "busybox", command: ["sleep", "3600"] }],
    },
  });

  // Raw runtime: what the agent asks of the shim for one pod, without the agent and the API server.
  await node.shim.image.PullImage({ image: { image: "busybox" } });
  const rawPodStart = async (i: number): Promise<{ took: number; podSandboxId: string }> => {
    const t0 = performance.now();
    const config = {
      metadata: { name: `raw-${i}`, namespace: "raw", uid: `raw-${i}` },
      logDirectory: join(node.shim.dir, "raw-logs", String(i)),
    };
    const { podSandboxId } = await node.shim.runtime.RunPodSandbox({ config });
    const { containerId } = await node.shim.runtime.CreateContainer({
      podSandboxId,
      sandboxConfig: config,
      config: {
        metadata: { name: "main" },
        image: { image: "busybox" },
        command: ["sleep", "3600"],
        logPath: "main.log",
      },
    });
    await node.shim.runtime.StartContainer({ containerId });
    return { took: performance.now() - t0, podSandboxId: podSandboxId! };
  };
  const rawPod = async (i: number): Promise<number> => {
    const { took, podSandboxId } = await rawPodStart(i);
    await node.shim.runtime.RemovePodSandbox({ podSandboxId });
    return took;
  };

  // Watch Running transitions (the time a user of the API would see them).
  const runningAt = new Map<string, number>();
  const abort = new AbortController();
  const list = await node.client.list<Pod>(PODS, { namespace: ns });
  const watching = (async () => {
    for await (const ev of node.client.watch<Pod>(PODS, {
      namespace: ns,
      resourceVersion: list.metadata.resourceVersion,
      signal: abort.signal,
    })) {
      const p = ev.object as Pod;
      if (ev.type !== "ERROR" && p.status?.phase === "Running" && !runningAt.has(p.metadata.name!))
        runningAt.set(p.metadata.name!, performance.now());
    }
  })().catch(() => {});

  const waitRunning = (names: string[]) =>
    waitFor(() => names.every((n) => runningAt.has(n)), {
      timeoutMs: 120_000,
      intervalMs: 5,
      what: "pods Running",
    });

  // Serial pods through the whole path, interleaved with raw runtime pods (the order alternating),
  // so both see the same load on a shared machine.
  const serial: number[] = [];
  const raw: number[] = [];
  const loadBefore = loadavg()[0]!;
  await rawPod(-1);
  await node.client.create(PODS, pod("warm"));
  await waitRunning(["warm"]);
  for (let i = 0; i < N; i++) {
    if (i % 2 === 1) raw.push(await rawPod(i));
    const name = `serial-${i}`;
    const t0 = performance.now();
    await node.client.create(PODS, pod(name));
    await waitRunning([name]);
    serial.push(runningAt.get(name)! - t0);
    if (i % 2 === 0) raw.push(await rawPod(i));
  }

  const created = new Map<string, number>();
  const names = Array.from({ length: N }, (_, i) => `burst-${i}`);
  await Promise.all(
    names.map(async (name) => {
      created.set(name, performance.now());
      await node.client.create(PODS, pod(name));
    }),
  );
  await waitRunning(names);
  const burst = names.map((n) => runningAt.get(n)! - created.get(n)!);
  abort.abort();
  await watching;

  // The same burst of raw runtime pods, all at once through the shim: what the node's runtime alone
  // takes for N simultaneous pods on this machine, so the burst figure has its baseline too.
  const rawBurstRuns = await Promise.all(names.map((_, i) => rawPodStart(N + i)));
  const rawBurst = rawBurstRuns.map((r) => r.took);
  for (const { podSandboxId } of rawBurstRuns) await node.shim.runtime.RemovePodSandbox({ podSandboxId });

  process.stdout.write(
    `${JSON.stringify(
      {
        bench: "podstart",
        pods: N,
        backend: "runc",
        serial: summary(serial),
        burst: summary(burst),
        runtimeSandboxCreateStart: summary(raw),
        runtimeBurst: summary(rawBurst),
        ratioSerialP50ToRuntime: Math.round((summary(serial).p50Ms / summary(raw).p50Ms) * 100) / 100,
        ratioBurstP99ToRuntimeBurst: Math.round((summary(burst).p99Ms / summary(rawBurst).p99Ms) * 100) / 100,
        fairness:
          "serial pods and raw runtime pods (RunPodSandbox + CreateContainer + StartContainer over the same shim's gRPC, one at a time) interleaved in one run, alternating order; the burst creates all pods at once after that, and the runtime burst then starts as many raw runtime pods at once",
        load: { cpus: cpus().length, loadavg1Before: loadBefore, loadavg1After: loadavg()[0] },
        goalP99Ms: 1000,
      },
      null,
      2,
    )}\n`,
  );

  // Delete everything and let the agent stop it before the shim goes.
  const all = (await node.client.list<Pod>(PODS, { namespace: ns })).items;
  await Promise.all(
    all.map((p) =>
      node.client
        .delete(PODS, p.metadata.name!, { namespace: ns, options: { gracePeriodSeconds: 0 } })
        .catch(() => {}),
    ),
  );
  await waitFor(async () => ((await node.shim.runtime.ListPodSandbox({})).items ?? []).length === 0, {
    timeoutMs: 600_000,
    intervalMs: 500,
    what: "the agent to remove every pod from the runtime",
  });
} finally {
  await node.stop();
  await cluster.stop();
}
