// bench/apiserver: API server throughput and watch fan-out against a baseline of raw etcd,
// measured in the same run on the same machine. Prints one JSON document.
//
//   creates: N pods POSTed by C concurrent clients (keep-alive HTTP), beside raw etcd puts of the
//            same JSON values at the same concurrency, through the etcd3 client and through the API
//            server's own lean KV client; ratio = api / the faster baseline.
//   watch:   W watchers on one namespace's configmaps, U updates; latency from sending the update
//            to each watcher receiving its event.
//
// Flags: --pods 10000 --concurrency 32 --watchers 100 --updates 1000

import { request } from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";
import { freePort, processCpuMs, startEtcd, startK8ts, waitHttpOk } from "../../testing/index.js";
import { etcdVersion } from "../etcd-version.js";
import { HttpConnection } from "../http-connection.js";
import { percentile } from "../percentile.js";
import { runPool } from "../pool.js";
import { rawPuts } from "../raw-etcd.js";
import { send } from "../send.js";

const { values } = parseArgs({
  options: {
    pods: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "32" },
    watchers: { type: "string", default: "100" },
    updates: { type: "string", default: "1000" },
  },
});
const PODS = Number(values.pods);
const CONC = Number(values.concurrency);
const WATCHERS = Number(values.watchers);
const UPDATES = Number(values.updates);

function podBody(i: number): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `bench-${i}`, namespace: "default", labels: { app: "bench", shard: String(i % 10) } },
    spec: {
      containers: [
        {
          name: "c",
          image: "busybox:1.36",
          command: ["sleep", "3600"],
          resources: { requests: { cpu: "100m", memory: "64Mi" } },
        },
      ],
    },
  });
}

/** CPU milliseconds per operation of etcd, the API server and this client process over a phase. */
function cpuMeter(pids: { etcd: number; apiserver: number | undefined }) {
  const before = {
    etcd: processCpuMs(pids.etcd),
    apiserver: processCpuMs(pids.apiserver),
    self: process.cpuUsage(),
  };
  return (ops: number) => {
    const per = (a: number | undefined, b: number | undefined) =>
      a === undefined || b === undefined ? null : Math.round(((b - a) * 1000) / ops) / 1000;
    const self = process.cpuUsage(before.self);
    return {
      etcd: per(before.etcd, processCpuMs(pids.etcd)),
      apiserver: per(before.apiserver, processCpuMs(pids.apiserver)),
      client: Math.round((self.user + self.system) / ops) / 1000,
    };
  };
}

async function main() {
  const etcd = await startEtcd();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const api = startK8ts(["apiserver", "--etcd-servers", etcd.endpoint, "--port", String(port)]);
  try {
    await waitHttpOk(`${url}/readyz`);

    // Baseline: raw etcd puts of the same values at the same concurrency, through the etcd3 client
    // and through the API server's own lean KV client, each warmed up first (bench/raw-etcd.ts),
    // so the ratio is not flattered by a slow or cold baseline: the faster of the two is judged.
    const pids = { etcd: etcd.pid, apiserver: api.child.pid };
    const phaseCpu = () => {
      const meter = cpuMeter(pids);
      return () => meter(PODS);
    };
    const raw = await rawPuts(etcd.endpoint, "etcd3", PODS, CONC, podBody, phaseCpu);
    const rawCpu = raw.measured;
    const rawDirect = await rawPuts(etcd.endpoint, "lean", PODS, CONC, podBody, phaseCpu);
    const rawDirectCpu = rawDirect.measured;
    let failures = 0;
    const conns = Array.from({ length: CONC }, () => new HttpConnection("127.0.0.1", port));
    const meter = cpuMeter(pids);
    const api1 = await runPool(PODS, CONC, async (i, worker) => {
      const answer = await conns[worker]!.request("POST", "/api/v1/namespaces/default/pods", podBody(i));
      if (answer.status !== 201) failures++;
    });
    const apiCpu = meter(PODS);
    for (const c of conns) c.close();

    // Watch fan-out.
    await send(
      "POST",
      `${url}/api/v1/namespaces/default/configmaps`,
      JSON.stringify({ metadata: { name: "fan" }, data: { i: "0" } }),
    );
    const sentAt = new Map<string, number>();
    const deliveries: number[] = [];
    let received = 0;
    const streams: { close(): void }[] = [];
    const list = await send("GET", `${url}/api/v1/namespaces/default/configmaps`);
    const startRv: string = JSON.parse(list.text).metadata.resourceVersion;
    await Promise.all(
      Array.from(
        { length: WATCHERS },
        () =>
          new Promise<void>((resolve, reject) => {
            const req = request(
              `${url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${startRv}`,
              (res) => {
                let buf = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => {
                  buf += chunk;
                  let nl = buf.indexOf("\n");
                  while (nl >= 0) {
                    const ev = JSON.parse(buf.slice(0, nl));
                    buf = buf.slice(nl + 1);
                    const t = sentAt.get(ev.object?.data?.i);
                    if (t !== undefined) {
                      deliveries.push(performance.now() - t);
                      received++;
                    }
                    nl = buf.indexOf("\n");
                  }
                });
                resolve();
              },
            );
            req.on("error", reject);
            req.end();
            streams.push({ close: () => req.destroy() });
          }),
      ),
    );
    const w0 = performance.now();
    for (let i = 1; i <= UPDATES; i++) {
      sentAt.set(String(i), performance.now());
      await send(
        "PATCH",
        `${url}/api/v1/namespaces/default/configmaps/fan`,
        JSON.stringify({ data: { i: String(i) } }),
        "application/merge-patch+json",
      );
    }
    const expected = WATCHERS * UPDATES;
    const deadline = Date.now() + 60_000;
    while (received < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const watchSeconds = (performance.now() - w0) / 1000;
    for (const s of streams) s.close();
    deliveries.sort((a, b) => a - b);

    const etcd3Rate = PODS / raw.seconds;
    const directRate = PODS / rawDirect.seconds;
    const etcdRate = Math.max(etcd3Rate, directRate);
    const apiRate = PODS / api1.seconds;
    const result = {
      benchmark: "apiserver",
      machine: { cpus: os.cpus().length, loadAverage1m: os.loadavg()[0] },
      etcdVersion: await etcdVersion(etcd.endpoint),
      creates: {
        measures:
          "apiserver: POST /api/v1/namespaces/default/pods (keep-alive HTTP/1.1, JSON) by `concurrency` clients, " +
          "each on its own connection through a lean client (bench/http-connection.ts); " +
          "rawEtcd: put of the same JSON value at the same concurrency, run first (each client warmed up by untimed puts), through the etcd3 client and " +
          "through the API server's own lean KV client (rawEtcdDirect); ratio = apiserver creates per second over " +
          "the faster of the two. cpuMsPerCreate/cpuMsPerPut: CPU time (user+system) of etcd, the API server and " +
          "this client process during the phase divided by pods, steadier than rates on a shared machine.",
        pods: PODS,
        concurrency: CONC,
        failures,
        apiserver: {
          perSecond: Math.round(apiRate),
          cpuMsPerCreate: apiCpu,
          p50Ms: percentile(api1.latencies, 50),
          p99Ms: percentile(api1.latencies, 99),
        },
        rawEtcd: {
          perSecond: Math.round(etcd3Rate),
          cpuMsPerPut: rawCpu,
          p50Ms: percentile(raw.latencies, 50),
          p99Ms: percentile(raw.latencies, 99),
        },
        rawEtcdDirect: {
          perSecond: Math.round(directRate),
          cpuMsPerPut: rawDirectCpu,
          p50Ms: percentile(rawDirect.latencies, 50),
          p99Ms: percentile(rawDirect.latencies, 99),
        },
        ratio: Math.round((apiRate / etcdRate) * 1000) / 1000,
        goal: { ratioAtLeast: 0.4, p99MsBelow: 50 },
      },
      watch: {
        measures:
          "`watchers` watches of one namespace's configmaps; `updates` merge patches of one configmap, one at a time; " +
          "latency from sending a patch to each watcher reading its event.",
        watchers: WATCHERS,
        updates: UPDATES,
        delivered: received,
        expected,
        seconds: Math.round(watchSeconds * 100) / 100,
        p50Ms: percentile(deliveries, 50),
        p99Ms: percentile(deliveries, 99),
        goal: { p99MsBelow: 100 },
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await api.stop();
    await etcd.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
