// bench/scheduler: end-to-end scheduling throughput through the API server, with a raw etcd
// baseline measured in the same run. Prints one JSON document.
//
//   1. raw etcd: N puts of pod-sized JSON at concurrency C (the ceiling: a bind is one etcd write);
//      the scheduler binds with the same concurrency (--max-binds-in-flight C);
//   2. a real API server and a real `k8ts scheduler` (child processes); M Node objects created
//      through the API (16 cpu, 64 GiB, 110 pods each);
//   3. N pods with varied requests POSTed by C concurrent clients; a watch in this process notes
//      when each pod is seen bound. pods/s = N / (last bound − first create); latency per pod =
//      seen bound − create sent (so it includes the create itself);
//   4. packing: nodes used against the lower bound max over cpu, memory, pods of ⌈Σ requests / node⌉.
//
// --mode stream (default): the scheduler runs while the pods are created (latency = bound − create
// sent). --mode backlog: all pods are created first, then the scheduler starts; pods/s and latency
// count from its start, which isolates the scheduler's own rate through the API (binds + events).
//
// Flags: --nodes 1000 --pods 10000 --concurrency 32 --mode stream|backlog

import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { Etcd3 } from "etcd3";
import { freePort, startEtcd, startK8ts, waitHttpOk } from "../../testing/index.js";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "1000" },
    pods: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "32" },
    mode: { type: "string", default: "stream" },
  },
});
const NODES = Number(values.nodes);
const PODS = Number(values.pods);
const CONC = Number(values.concurrency);
const MODE = values.mode === "backlog" ? "backlog" : "stream";
const NODE = { cpu: 16_000, memory: 64 * 1024 ** 3, pods: 110 };
const CPU_CHOICES = [100, 250, 500, 1000, 2000]; // millicores
const MEM_CHOICES = [128, 256, 512, 1024, 2048]; // MiB

/** Deterministic (mulberry32): every run asks for the same pods. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)]! * 100) / 100;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        agent,
        headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function getJson<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      let b = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        b += d;
      });
      res.on("end", () => resolve(JSON.parse(b) as T));
    })
      .on("error", reject)
      .end();
  });
}

async function runPool(total: number, conc: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conc }, async () => {
      for (let i = next++; i < total; i = next++) await one(i);
    }),
  );
  return (performance.now() - t0) / 1000;
}

function nodeBody(i: number): string {
  const r = { cpu: `${NODE.cpu}m`, memory: `${NODE.memory / 1024 ** 3}Gi`, pods: String(NODE.pods) };
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name: `node-${i}`, labels: { "kubernetes.io/hostname": `node-${i}` } },
    status: { capacity: r, allocatable: r, conditions: [{ type: "Ready", status: "True" }] },
  });
}

interface PodAsk {
  cpu: number;
  memMi: number;
}

function podBody(i: number, ask: PodAsk): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `bench-${i}`, namespace: "default" },
    spec: {
      containers: [
        {
          name: "c",
          image: "busybox:1.36",
          resources: { requests: { cpu: `${ask.cpu}m`, memory: `${ask.memMi}Mi` } },
        },
      ],
    },
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (!pid || pid < 0) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Math.round(((Number(fields[11]) + Number(fields[12])) / 100) * 10) / 10; // utime, stime at 100 Hz
  } catch {
    return undefined;
  }
}

async function main() {
  const random = rng(42);
  const asks: PodAsk[] = Array.from({ length: PODS }, () => ({
    cpu: CPU_CHOICES[Math.floor(random() * CPU_CHOICES.length)]!,
    memMi: MEM_CHOICES[Math.floor(random() * MEM_CHOICES.length)]!,
  }));
  const etcd = await startEtcd();
  const apiPort = await freePort();
  const metricsPort = await freePort();
  const url = `http://127.0.0.1:${apiPort}`;
  const api = startK8ts(["apiserver", "--etcd-servers", etcd.endpoint, "--port", String(apiPort)]);
  let scheduler: ReturnType<typeof startK8ts> | undefined;
  const schedulerOutput = () => scheduler?.output() ?? "";
  const streams: { destroy(): void }[] = [];
  try {
    await waitHttpOk(`${url}/readyz`);

    // 1. The ceiling: raw etcd puts of pod-sized values at the same concurrency.
    const client = new Etcd3({ hosts: etcd.endpoint });
    const rawSeconds = await runPool(PODS, CONC, async (i) => {
      await client.put(`/baseline/pods/default/bench-${i}`).value(podBody(i, asks[i]!));
    });
    await client.delete().prefix("/baseline/");
    client.close();

    // 2. Nodes, then the scheduler.
    let nodeFailures = 0;
    await runPool(NODES, CONC, async (i) => {
      if ((await post(url, "/api/v1/nodes", nodeBody(i))) !== 201) nodeFailures++;
    });
    const startScheduler = async () => {
      scheduler = startK8ts([
        "scheduler",
        "--master",
        url,
        "--metrics-bind-address",
        `127.0.0.1:${metricsPort}`,
        "--max-binds-in-flight",
        String(CONC),
      ]);
      await waitHttpOk(`http://127.0.0.1:${metricsPort}/readyz`, 60_000);
    };
    if (MODE === "stream") await startScheduler();

    // 3. Watch for binds, then create the pods.
    const list = await getJson<{ metadata: { resourceVersion: string } }>(
      `${url}/api/v1/namespaces/default/pods?limit=1`,
    );
    const sentAt = new Float64Array(PODS);
    const boundAt = new Float64Array(PODS);
    const nodeOf: string[] = new Array(PODS);
    let bound = 0;
    let allBound: () => void = () => {};
    const done = new Promise<void>((r) => {
      allBound = r;
    });
    await new Promise<void>((resolve, reject) => {
      const req = request(
        `${url}/api/v1/namespaces/default/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
        (res) => {
          let buf = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            buf += chunk;
            for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
              const line = buf.slice(0, nl);
              buf = buf.slice(nl + 1);
              const ev = JSON.parse(line) as {
                object: { metadata: { name: string }; spec?: { nodeName?: string } };
              };
              const node = ev.object.spec?.nodeName;
              const i = Number(ev.object.metadata.name.slice("bench-".length));
              if (node && Number.isInteger(i) && boundAt[i] === 0) {
                boundAt[i] = performance.now();
                nodeOf[i] = node;
                if (++bound === PODS) allBound();
              }
            }
          });
          resolve();
        },
      );
      req.on("error", reject);
      req.end();
      streams.push(req);
    });

    let createFailures = 0;
    let t0 = performance.now();
    const createSeconds = await runPool(PODS, CONC, async (i) => {
      sentAt[i] = performance.now();
      if ((await post(url, "/api/v1/namespaces/default/pods", podBody(i, asks[i]!))) !== 201)
        createFailures++;
    });
    if (MODE === "backlog") {
      // Every pod is pending: time the scheduler alone, from its start to the last bind.
      t0 = performance.now();
      sentAt.fill(t0);
      await startScheduler();
    }
    const timeout = new Promise<void>((r) => setTimeout(r, 300_000).unref());
    await Promise.race([done, timeout]);
    const lastBound = Math.max(...boundAt);
    const e2eSeconds = (lastBound - t0) / 1000;
    const latencies: number[] = [];
    for (let i = 0; i < PODS; i++) if (boundAt[i]! > 0) latencies.push(boundAt[i]! - sentAt[i]!);
    latencies.sort((a, b) => a - b);

    // 4. Packing.
    const used = new Set(nodeOf.filter(Boolean));
    const sumCpu = asks.reduce((s, a) => s + a.cpu, 0);
    const sumMem = asks.reduce((s, a) => s + a.memMi * 1024 ** 2, 0);
    const lowerBound = Math.max(
      Math.ceil(sumCpu / NODE.cpu),
      Math.ceil(sumMem / NODE.memory),
      Math.ceil(PODS / NODE.pods),
    );
    const metrics = await new Promise<string>((resolve, reject) => {
      request(`http://127.0.0.1:${metricsPort}/metrics`, (res) => {
        let b = "";
        res.on("data", (d) => {
          b += d;
        });
        res.on("end", () => resolve(b));
      })
        .on("error", reject)
        .end();
    });
    const attempts = Object.fromEntries(
      [...metrics.matchAll(/^scheduler_schedule_attempts_total\{result="(\w+)"[^}]*\} (\d+)/gm)].map((m) => [
        m[1],
        Number(m[2]),
      ]),
    );

    // Where the machine's time went during the whole run (2 cores are shared by all three).
    const cpu = {
      scheduler: cpuSeconds(scheduler?.child.pid),
      apiserver: cpuSeconds(api.child.pid),
      etcd: cpuSeconds(etcd.pid),
      bench: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1e5) / 10,
    };
    const podsPerSecond = bound / e2eSeconds;
    const etcdRate = PODS / rawSeconds;
    const result = {
      benchmark: "scheduler",
      machine: { cpus: cpus().length },
      nodes: NODES,
      pods: PODS,
      concurrency: CONC,
      mode: MODE,
      failures: { nodes: nodeFailures, pods: createFailures, unbound: PODS - bound },
      endToEnd: {
        podsPerSecond: Math.round(podsPerSecond),
        seconds: Math.round(e2eSeconds * 100) / 100,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
      },
      creates: { perSecond: Math.round(PODS / createSeconds) },
      rawEtcd: { putsPerSecond: Math.round(etcdRate) },
      ratio: Math.round((podsPerSecond / etcdRate) * 1000) / 1000,
      cpuSeconds: cpu,
      schedulerCpuMsPerPod:
        cpu.scheduler === undefined ? null : Math.round((cpu.scheduler * 1000 * 100) / PODS) / 100,
      schedulerAttempts: attempts,
      schedulerWarnings: [
        ...new Set(
          [...(schedulerOutput().matchAll(/"msg":"([^"]+)"(?:.*?"err":"([^"]{0,160}))?/g) ?? [])]
            .filter((m) => m[2])
            .map((m) => `${m[1]}: ${m[2]!.replace(/bench-\d+|node-\d+/g, "…")}`),
        ),
      ].slice(0, 5),
      packing: {
        nodesUsed: used.size,
        lowerBound,
        overLowerBound: Math.round((used.size / lowerBound - 1) * 1000) / 1000,
      },
      goal: { podsPerSecondAtLeast: 1000, ratioAtLeast: 0.5, overLowerBoundAtMost: 0.1 },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const s of streams) s.destroy();
    agent.destroy();
    await scheduler?.stop();
    await api.stop();
    await etcd.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
