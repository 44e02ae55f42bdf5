// The node agent against a real etcd, API server, runtime-shim (runc) and the real kubectl, on a
// scaled clock (testing/nodeagent.ts). One node serves the whole file; each test makes its own pods.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Event, Lease, Node, Pod } from "../api/index.js";
import { RESOURCES } from "../api/index.js";
import { isNotFound } from "../client/index.js";
import {
  kubectlBinary,
  run,
  startK8ts,
  startTestClusterWithNode,
  type TestNode,
  waitFor,
} from "../testing/index.js";

const PODS = RESOURCES.find((r) => r.kind === "Pod")!;
const NODES = RESOURCES.find((r) => r.kind === "Node")!;
const LEASES = RESOURCES.find((r) => r.kind === "Lease")!;
const EVENTS = RESOURCES.find((r) => r.kind === "Event" && r.group === "")!;

let node: TestNode;
let stopAll: (() => Promise<void>) | undefined;

before(async () => {
  ({ node, stop: stopAll } = await startTestClusterWithNode({
    // Small logs rotate (the kubelet's default is 10 MiB): only the rotation test writes that much.
    agent: {
      cpu: "4",
      memory: "8Gi",
      maxPods: 20,
      containerLogs: { maxSizeBytes: 8192, maxFiles: 4 },
      containerLogPeriodMs: 400,
    },
  }));
});

after(async () => {
  await stopAll?.();
});

function busybox(
  name: string,
  script: string,
  extra: Partial<NonNullable<Pod["spec"]>> = {},
  container: object = {},
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: {
      nodeName: node.nodeName,
      terminationGracePeriodSeconds: 2,
      containers: [{ name: "main", image: "busybox", command: ["sh", "-c", script], ...container }],
      ...extra,
    },
  };
}

const getPod = (name: string) => node.client.get<Pod>(PODS, name, { namespace: "default" });

async function podWhere(
  name: string,
  what: string,
  ok: (p: Pod) => boolean,
  timeoutMs = 20_000,
): Promise<Pod> {
  return waitFor(
    async () => {
      const p = await getPod(name);
      return ok(p) ? p : undefined;
    },
    { timeoutMs, what: `pod ${name}: ${what}` },
  );
}

const main = (p: Pod) => p.status?.containerStatuses?.find((c) => c.name === "main");

async function deleteAndWaitGone(name: string): Promise<void> {
  await node.client.delete(PODS, name, { namespace: "default" }).catch(() => {});
  await waitFor(
    async () => {
      try {
        await getPod(name);
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    },
    { timeoutMs: 20_000, what: `pod ${name} to be removed` },
  );
}

async function eventsFor(name: string): Promise<Event[]> {
  const list = await node.client.list<Event>(EVENTS, { namespace: "default" });
  return list.items.filter((e) => (e.involvedObject as { name?: string }).name === name);
}

function kubectl(args: string[], input?: string) {
  return run(kubectlBinary(), ["--kubeconfig", node.kubeconfig, ...args], { timeoutMs: 30_000, input });
}

describe("node agent", () => {
  it("registers its Node (flags for capacity, address and port) and renews its Lease", async () => {
    const n = await node.client.get<Node>(NODES, node.nodeName);
    assert.equal(n.metadata.labels?.["kubernetes.io/hostname"], node.nodeName);
    assert.equal(n.status?.capacity?.cpu, "4");
    assert.equal(n.status?.allocatable?.memory, "8Gi");
    assert.equal(n.status?.capacity?.pods, "20");
    assert.deepEqual(n.status?.addresses, [
      { type: "InternalIP", address: "127.0.0.1" },
      { type: "Hostname", address: node.nodeName },
    ]);
    assert.equal(n.status?.daemonEndpoints?.kubeletEndpoint?.Port, node.agent.port);
    assert.equal(n.status?.conditions?.find((c) => c.type === "Ready")?.status, "True");
    const first = await node.client.get<Lease>(LEASES, node.nodeName, { namespace: "kube-node-lease" });
    assert.equal(first.spec?.holderIdentity, node.nodeName);
    await waitFor(
      async () => {
        const l = await node.client.get<Lease>(LEASES, node.nodeName, { namespace: "kube-node-lease" });
        return l.spec?.renewTime !== first.spec?.renewTime;
      },
      { timeoutMs: 5000, what: "the lease to be renewed" },
    );
    const health = await fetch(`http://127.0.0.1:${node.agent.port}/healthz`);
    assert.equal(await health.text(), "ok");
  });

  it("runs a pod: Running with its sandbox IP, readiness drives Ready, kubectl logs and exec work", async () => {
    await node.client.create(
      PODS,
      busybox(
        "web",
        "echo hello; echo oops >&2; sleep 3600",
        {},
        {
          readinessProbe: { exec: { command: ["cat", "/tmp/ready"] }, periodSeconds: 1 },
        },
      ),
    );
    const running = await podWhere("web", "Running", (p) => p.status?.phase === "Running");
    assert.match(running.status?.podIP ?? "", /^10\.\d+\.\d+\.\d+$/);
    assert.equal(running.status?.hostIP, "127.0.0.1");
    assert.ok(running.status?.startTime);
    assert.equal(main(running)?.ready, false);
    assert.equal(running.status?.conditions?.find((c) => c.type === "Ready")?.status, "False");

    const logs = await kubectl(["logs", "web"]);
    assert.equal(logs.code, 0, logs.stderr);
    // stdout and stderr are two pipes: the log has both lines, in whichever order they arrived.
    assert.deepEqual(logs.stdout.split("\n").filter(Boolean).sort(), ["hello", "oops"]);

    const touch = await kubectl(["exec", "web", "--", "touch", "/tmp/ready"]);
    assert.equal(touch.code, 0, touch.stderr);
    await podWhere(
      "web",
      "Ready",
      (p) => p.status?.conditions?.find((c) => c.type === "Ready")?.status === "True",
    );
    assert.equal(main(await getPod("web"))?.ready, true);

    const fail = await kubectl(["exec", "web", "--", "sh", "-c", "echo err >&2; exit 3"]);
    assert.equal(fail.code, 3);
    assert.match(fail.stderr, /err\n/);
    assert.match(fail.stderr, /command terminated with exit code 3/);

    await kubectl(["exec", "web", "--", "rm", "/tmp/ready"]);
    await podWhere("web", "not Ready again", (p) => main(p)?.ready === false);
    await deleteAndWaitGone("web");
  });

  it("restarts a crashing container on the CrashLoopBackOff schedule (scaled: at once, then 0.5 s doubling)", async () => {
    const created = await node.client.create<Pod>(PODS, busybox("crash", "echo boom; exit 2"));
    // The runtime's own times for every instance, recorded while the pod crash-loops: the agent
    // garbage-collects all but the newest dead instance, so reading them once at the end would
    // miss the older ones.
    const seen = new Map<number, { createdAt?: number; finishedAt?: number }>();
    let watching = true;
    const recording = (async () => {
      while (watching) {
        const { containers = [] } = await node.shim.runtime.ListContainers({
          filter: { labelSelector: { "io.kubernetes.pod.uid": created.metadata.uid! } },
        });
        for (const c of containers) {
          const s = (await node.shim.runtime.ContainerStatus({ containerId: c.id }).catch(() => undefined))
            ?.status;
          if (!s) continue; // removed between the list and the status
          const rec = seen.get(s.metadata?.attempt ?? 0) ?? {};
          if (s.createdAt) rec.createdAt = s.createdAt;
          if (s.finishedAt) rec.finishedAt = s.finishedAt;
          seen.set(s.metadata?.attempt ?? 0, rec);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    let p: Pod;
    try {
      p = await podWhere(
        "crash",
        "three restarts, the third instance exited",
        (p) => (main(p)?.restartCount ?? 0) >= 3 && Boolean(seen.get(3)?.createdAt),
        30_000,
      );
    } finally {
      watching = false;
      await recording;
    }
    const st = main(p)!;
    assert.equal(st.lastState?.terminated?.exitCode, 2);
    assert.equal(st.lastState?.terminated?.reason, "Error");
    // Each restart waited the backoff of its step after the previous instance exited.
    const { initialMs } = node.backoff;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const prev = seen.get(attempt - 1);
      const cur = seen.get(attempt);
      assert.ok(prev?.finishedAt && cur?.createdAt, `instances ${attempt - 1} and ${attempt} were both seen`);
      const gapMs = (cur.createdAt - prev.finishedAt) / 1e6;
      // As the kubelet: the first restart goes at once, then initialMs, doubling.
      const want = attempt === 1 ? 0 : initialMs * 2 ** (attempt - 2);
      assert.ok(
        gapMs >= want - 20,
        `restart ${attempt} came ${gapMs} ms after the exit, backoff is ${want} ms`,
      );
      assert.ok(
        gapMs < want + 1500,
        `restart ${attempt} came ${gapMs} ms after the exit, backoff is ${want} ms`,
      );
    }
    await podWhere(
      "crash",
      "CrashLoopBackOff",
      (p) => main(p)?.state?.waiting?.reason === "CrashLoopBackOff",
    );
    const previous = await kubectl(["logs", "crash", "--previous"]);
    assert.equal(previous.stdout, "boom\n", previous.stderr);
    assert.ok((await eventsFor("crash")).some((e) => e.reason === "BackOff" && e.type === "Warning"));
    await deleteAndWaitGone("crash");
  });

  it("a failing liveness probe restarts the container, with Unhealthy and Killing events", async () => {
    await node.client.create(
      PODS,
      busybox(
        "live",
        "touch /tmp/alive; trap 'exit 0' TERM; while true; do sleep 0.2; done",
        {},
        {
          livenessProbe: { exec: { command: ["cat", "/tmp/alive"] }, periodSeconds: 1, failureThreshold: 2 },
        },
      ),
    );
    await podWhere("live", "Running", (p) => main(p)?.state?.running !== undefined);
    const exec = await kubectl(["exec", "live", "--", "rm", "/tmp/alive"]);
    assert.equal(exec.code, 0, exec.stderr);
    const p = await podWhere(
      "live",
      "restarted and running",
      (p) => main(p)?.restartCount === 1 && !!main(p)?.state?.running,
      30_000,
    );
    assert.equal(p.status?.phase, "Running");
    const events = await eventsFor("live");
    assert.ok(events.some((e) => e.reason === "Unhealthy" && /^Liveness probe failed/.test(e.message ?? "")));
    assert.ok(
      events.some(
        (e) => e.reason === "Killing" && /failed liveness probe, will be restarted/.test(e.message ?? ""),
      ),
    );
    await deleteAndWaitGone("live");
  });

  it("pods that fail for good: over the memory limit (OOMKilled), past activeDeadlineSeconds (DeadlineExceeded)", async () => {
    await node.client.create(
      PODS,
      busybox(
        "oom",
        "tail /dev/zero",
        { restartPolicy: "Never" },
        { resources: { limits: { memory: "16Mi" } } },
      ),
    );
    await node.client.create(
      PODS,
      busybox("deadline", "trap 'exit 0' TERM; while true; do sleep 0.2; done", { activeDeadlineSeconds: 2 }),
    );
    const oom = await podWhere("oom", "Failed", (p) => p.status?.phase === "Failed", 30_000);
    assert.equal(main(oom)?.state?.terminated?.reason, "OOMKilled");
    assert.equal(main(oom)?.restartCount, 0);
    const late = await podWhere("deadline", "Failed", (p) => p.status?.phase === "Failed", 30_000);
    assert.equal(late.status?.reason, "DeadlineExceeded");
    assert.ok(main(late)?.state?.terminated, "its container was stopped");
    await Promise.all(["oom", "deadline"].map(deleteAndWaitGone));
  });

  it("bad input ends in Kubernetes' reasons: ErrImagePull, RunContainerError, a missing ConfigMap", async () => {
    await node.client.create(PODS, {
      ...busybox("noimage", "true"),
      spec: { ...busybox("x", "").spec!, containers: [{ name: "main", image: "example.com/nope:1" }] },
    });
    await node.client.create(PODS, {
      ...busybox("nocmd", ""),
      spec: {
        ...busybox("x", "").spec!,
        containers: [{ name: "main", image: "busybox", command: ["/no/such/binary"] }],
      },
    });
    await node.client.create(
      PODS,
      busybox(
        "nocm",
        "sleep 3600",
        {},
        { env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "missing", key: "k" } } }] },
      ),
    );
    const img = await podWhere("noimage", "ErrImagePull", (p) =>
      ["ErrImagePull", "ImagePullBackOff"].includes(main(p)?.state?.waiting?.reason ?? ""),
    );
    assert.match(main(img)?.state?.waiting?.message ?? "", /example.com\/nope:1/);
    assert.equal(img.status?.phase, "Pending");
    const cmd = await podWhere("nocmd", "start failure", (p) =>
      ["RunContainerError", "CrashLoopBackOff"].includes(main(p)?.state?.waiting?.reason ?? ""),
    );
    assert.notEqual(main(cmd)?.state?.running, {});
    const cm = await podWhere(
      "nocm",
      "CreateContainerConfigError",
      (p) => main(p)?.state?.waiting?.reason === "CreateContainerConfigError",
    );
    assert.match(main(cm)?.state?.waiting?.message ?? "", /configmap "missing" not found/);
    // Logs of a container that never started: the Status the API server relays, and kubectl prints.
    const logs = await kubectl(["logs", "noimage"]);
    assert.equal(logs.code, 1);
    assert.match(
      logs.stderr,
      /container "main" in pod "noimage" is waiting to start: (image can't be pulled|trying and failing to pull image)/,
    );
    const unknown = await fetch(`http://127.0.0.1:${node.agent.port}/containerLogs/default/nocm/nope`);
    assert.equal(unknown.status, 400);
    const body = (await unknown.json()) as Record<string, unknown>;
    assert.deepEqual(
      { kind: body.kind, status: body.status, code: body.code, reason: body.reason, message: body.message },
      {
        kind: "Status",
        status: "Failure",
        code: 400,
        reason: "BadRequest",
        message: "container nope is not valid for pod nocm",
      },
    );
    await Promise.all(["noimage", "nocmd", "nocm"].map(deleteAndWaitGone));
  });

  it("runs init containers in order (a sidecar keeps running) before the containers; env from the downward API", async () => {
    await node.client.create<Pod>(PODS, {
      ...busybox("init", ""),
      spec: {
        nodeName: node.nodeName,
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: "work", emptyDir: {} }],
        initContainers: [
          {
            name: "sidecar",
            image: "busybox",
            restartPolicy: "Always",
            command: ["sh", "-c", "echo sidecar >> /work/order; exec sleep 3600"],
            volumeMounts: [{ name: "work", mountPath: "/work" }],
          },
          {
            name: "one",
            image: "busybox",
            command: ["sh", "-c", "echo one >> /work/order"],
            volumeMounts: [{ name: "work", mountPath: "/work" }],
          },
          {
            name: "two",
            image: "busybox",
            command: ["sh", "-c", "echo two >> /work/order"],
            volumeMounts: [{ name: "work", mountPath: "/work" }],
          },
        ],
        containers: [
          {
            name: "main",
            image: "busybox",
            command: ["sh", "-c", "cat /work/order; echo $POD_NAME $NODE; exec sleep 3600"],
            env: [
              { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
              { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
            ],
            volumeMounts: [{ name: "work", mountPath: "/work" }],
          },
        ],
      },
    });
    const p = await podWhere("init", "Running", (p) => p.status?.phase === "Running");
    assert.deepEqual(
      p.status?.initContainerStatuses?.map((s) => [
        s.name,
        s.state?.terminated?.reason ?? Object.keys(s.state ?? {})[0],
      ]),
      [
        ["sidecar", "running"],
        ["one", "Completed"],
        ["two", "Completed"],
      ],
    );
    assert.equal(p.status?.conditions?.find((c) => c.type === "Initialized")?.status, "True");
    const logs = await waitFor(
      async () => {
        const r = await kubectl(["logs", "init"]);
        return r.stdout.includes(node.nodeName) ? r : undefined;
      },
      { what: "init pod logs" },
    );
    assert.equal(logs.stdout, `sidecar\none\ntwo\ninit ${node.nodeName}\n`);
    await deleteAndWaitGone("init");
  });

  it("volumes and hooks: a shared emptyDir (sidecar), a tmpfs emptyDir, a read-only hostPath, postStart", async () => {
    const hostDir = mkdtempSync(join(tmpdir(), "k8ts-hostpath-"));
    writeFileSync(join(hostDir, "greeting"), "from the host\n");
    try {
      await node.client.create<Pod>(PODS, {
        metadata: { name: "vols", namespace: "default" },
        spec: {
          nodeName: node.nodeName,
          terminationGracePeriodSeconds: 0,
          volumes: [
            { name: "shared", emptyDir: {} },
            { name: "mem", emptyDir: { medium: "Memory" } },
            { name: "host", hostPath: { path: hostDir, type: "Directory" } },
          ],
          containers: [
            {
              name: "writer",
              image: "busybox",
              command: ["sh", "-c", "echo written > /shared/msg; exec sleep 3600"],
              volumeMounts: [{ name: "shared", mountPath: "/shared" }],
              // The hook runs in the container once it started; its file outlives the hook.
              lifecycle: { postStart: { exec: { command: ["sh", "-c", "echo hooked > /shared/hook"] } } },
            },
            {
              name: "main",
              image: "busybox",
              command: ["sleep", "3600"],
              volumeMounts: [
                { name: "shared", mountPath: "/shared", readOnly: true },
                { name: "mem", mountPath: "/mem" },
                { name: "host", mountPath: "/host", readOnly: true },
              ],
            },
          ],
        },
      });
      await podWhere("vols", "Running", (p) => p.status?.phase === "Running");
      const inMain = (script: string) => kubectl(["exec", "vols", "-c", "main", "--", "sh", "-c", script]);
      const shared = await waitFor(
        async () => {
          const r = await inMain("cat /shared/msg /shared/hook");
          return r.code === 0 ? r : undefined;
        },
        { what: "the writer's file and the postStart hook's file in the shared emptyDir" },
      );
      assert.equal(shared.stdout, "written\nhooked\n");
      const mounts = await inMain("grep -E ' /(mem|shared|host) ' /proc/mounts");
      assert.match(mounts.stdout, /^tmpfs \/mem tmpfs rw/m, mounts.stdout);
      assert.match(mounts.stdout, /^\S+ \/shared \S+ ro[,\s]/m, mounts.stdout);
      assert.equal((await inMain("cat /host/greeting")).stdout, "from the host\n");
      const write = await inMain("echo x > /host/new");
      assert.notEqual(write.code, 0, "a read-only hostPath refuses writes");
      assert.match(write.stderr, /Read-only file system/);
      assert.equal(existsSync(join(hostDir, "new")), false);
      await deleteAndWaitGone("vols");
    } finally {
      rmSync(hostDir, { recursive: true, force: true });
    }
  });

  it("deletion stops the containers within the grace period, then removes the pod", async () => {
    const pod = await node.client.create<Pod>(
      PODS,
      busybox("slow", "trap '' TERM; while true; do sleep 0.2; done", { terminationGracePeriodSeconds: 2 }),
    );
    const running = await podWhere("slow", "Running", (p) => p.status?.phase === "Running");
    // The pod's last state before it disappears, as a watcher (a ReplicaSet, kubectl get -w) sees it.
    const abort = new AbortController();
    let last: Pod | undefined;
    const watching = (async () => {
      for await (const ev of node.client.watch<Pod>(PODS, {
        namespace: "default",
        resourceVersion: running.metadata.resourceVersion,
        signal: abort.signal,
      })) {
        const p = ev.object as Pod;
        if (p.metadata?.name !== "slow") continue;
        if (ev.type === "DELETED") return;
        last = p;
      }
    })().catch(() => {});
    const t0 = Date.now();
    await deleteAndWaitGone("slow");
    const took = Date.now() - t0;
    await waitFor(() => last?.metadata.deletionTimestamp && last.status?.phase !== "Running", {
      timeoutMs: 5000,
      what: "the final status to be seen before the pod went",
    }).finally(() => abort.abort());
    await watching;
    assert.equal(last?.status?.phase, "Failed", "killed after its grace period: a terminal phase");
    assert.equal(main(last!)?.state?.terminated?.exitCode, 137, "SIGKILL after the grace period");
    assert.equal(main(last!)?.ready, false);
    assert.ok(
      took >= 1900,
      `the pod ignoring SIGTERM was removed after ${took} ms, before its 2 s grace period`,
    );
    assert.ok(took < 8000, `removal took ${took} ms for a 2 s grace period`);
    const { items = [] } = await node.shim.runtime.ListPodSandbox({
      filter: { labelSelector: { "io.kubernetes.pod.uid": pod.metadata.uid! } },
    });
    assert.equal(items.length, 0, "the sandbox is removed from the runtime");
  });

  it("probes reach the pod at its IP (httpGet readiness, tcpSocket liveness); env from a ConfigMap and a Secret", async () => {
    const CONFIGMAPS = RESOURCES.find((r) => r.kind === "ConfigMap")!;
    const SECRETS = RESOURCES.find((r) => r.kind === "Secret")!;
    await node.client.create(CONFIGMAPS, {
      metadata: { name: "cfg", namespace: "default" },
      data: { GREETING: "hi" },
    });
    await node.client.create(SECRETS, {
      metadata: { name: "sec", namespace: "default" },
      data: { token: Buffer.from("s3cret").toString("base64") },
    });
    await node.client.create(
      PODS,
      busybox(
        "httpd",
        'echo "$GREETING $TOKEN" > /tmp/index.html; exec httpd -f -p 8080 -h /tmp',
        { terminationGracePeriodSeconds: 1 },
        {
          ports: [{ name: "http", containerPort: 8080 }],
          envFrom: [{ configMapRef: { name: "cfg" } }],
          env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "sec", key: "token" } } }],
          readinessProbe: { httpGet: { path: "/index.html", port: "http" }, periodSeconds: 1 },
          livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
        },
      ),
    );
    const p = await podWhere("httpd", "Ready", (p) => main(p)?.ready === true);
    const body = await (await fetch(`http://${p.status?.podIP}:8080/index.html`)).text();
    assert.equal(body, "hi s3cret\n");
    assert.equal(main(p)?.restartCount, 0);
    await deleteAndWaitGone("httpd");
  });

  it("kubectl logs -f follows the container and ends when it exits", async () => {
    await node.client.create(
      PODS,
      busybox("follow", "for i in 1 2 3 4 5 6; do echo line $i; sleep 0.3; done", { restartPolicy: "Never" }),
    );
    await podWhere("follow", "Running", (p) => !!main(p)?.state?.running);
    const r = await kubectl(["logs", "-f", "follow"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n");
    const tailed = await kubectl(["logs", "follow", "--tail=2", "--timestamps"]);
    assert.match(tailed.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z line 5\n\S+ line 6\n$/);
    await podWhere("follow", "Succeeded", (p) => p.status?.phase === "Succeeded");
    await deleteAndWaitGone("follow");
  });

  it("rotates a container's log past its size limit, keeps at most maxFiles, and logs -f reads across rotations", async () => {
    const pad = "x".repeat(100);
    await node.client.create(
      PODS,
      busybox(
        "chatty",
        `i=0; while [ $i -lt 500 ]; do echo "line $i ${pad}"; i=$((i+1)); [ $((i % 10)) -eq 0 ] && sleep 0.1; done`,
        { restartPolicy: "Never" },
      ),
    );
    await podWhere("chatty", "Running", (p) => !!main(p)?.state?.running);
    const { containers = [] } = await node.shim.runtime.ListContainers({
      filter: { labelSelector: { "io.kubernetes.pod.name": "chatty" } },
    });
    const logPath = (await node.shim.runtime.ContainerStatus({ containerId: containers[0]!.id })).status!
      .logPath!;
    const rotated = () => readdirSync(dirname(logPath)).filter((n) => n.startsWith(`${basename(logPath)}.`));
    let most = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        most = Math.max(most, rotated().length);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let followed: Awaited<ReturnType<typeof kubectl>>;
    try {
      followed = await kubectl(["logs", "-f", "chatty"]);
    } finally {
      sampling = false;
      await sampler;
    }
    assert.equal(followed.code, 0, followed.stderr);
    const want = Array.from({ length: 500 }, (_, i) => `line ${i} ${pad}\n`).join("");
    assert.ok(
      followed.stdout === want,
      `logs -f gave every line once, in order (${followed.stdout.length} of ${want.length} bytes)`,
    );
    assert.ok(rotated().length >= 1, "the log was rotated");
    assert.ok(most <= 3, `at most maxFiles - 1 = 3 rotated files at any time, saw ${most}`);
    const current = await kubectl(["logs", "chatty"]);
    // Plain logs reads the current file only, as against a kubelet: the newest lines, whatever the
    // last rotation left there (nothing, when it came between the last line and the exit).
    const inCurrentFile = readFileSync(logPath, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => `${l.split(" ").slice(3).join(" ")}\n`)
      .join("");
    assert.equal(current.stdout, inCurrentFile);
    assert.ok(want.endsWith(current.stdout), current.stdout.slice(0, 200));
    assert.ok(current.stdout.length < want.length, "older lines are in the rotated files");
    await deleteAndWaitGone("chatty");
  });

  it("keeps running pods and starts new ones after the runtime-shim is killed and comes back", async () => {
    await node.client.create(PODS, busybox("steady", "trap 'exit 0' TERM; while true; do sleep 0.2; done"));
    const before = await podWhere("steady", "Running", (p) => !!main(p)?.state?.running);
    await node.shim.restart();
    await node.client.create(PODS, busybox("fresh", "trap 'exit 0' TERM; while true; do sleep 0.2; done"));
    await podWhere("fresh", "Running", (p) => !!main(p)?.state?.running, 30_000);
    const after = await getPod("steady");
    assert.equal(main(after)?.containerID, main(before)?.containerID);
    assert.equal(main(after)?.restartCount, 0);
    await Promise.all(["steady", "fresh"].map(deleteAndWaitGone));
  });

  it("an agent killed with SIGKILL and started again adopts the running container with its restart count", async () => {
    // Crashes once (restartCount 1), then runs: the count must survive the agent's death unchanged.
    await node.client.create(
      PODS,
      busybox(
        "adopt",
        "if [ -e /data/ran ]; then trap 'exit 0' TERM; while true; do sleep 0.2; done; fi; touch /data/ran; exit 1",
        { volumes: [{ name: "data", emptyDir: {} }] },
        { volumeMounts: [{ name: "data", mountPath: "/data" }] },
      ),
    );
    const before = await podWhere(
      "adopt",
      "running after one restart",
      (p) => !!main(p)?.state?.running && main(p)?.restartCount === 1,
    );
    // After the new agent synced the pod (the only one on the node), it still runs its original container.
    const sameContainer = async (port: number, what: string) => {
      await waitFor(
        async () => {
          const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
          const syncs = [...text.matchAll(/^nodeagent_pod_syncs_total\{[^}]*\} (\d+)/gm)];
          return syncs.reduce((n, m) => n + Number(m[1]), 0) >= 1;
        },
        { timeoutMs: 20_000, what: `${what}: the new agent to sync the pods` },
      );
      const { containers = [] } = await node.shim.runtime.ListContainers({
        filter: { labelSelector: { "io.kubernetes.pod.uid": before.metadata.uid! } },
      });
      assert.deepEqual(
        containers.filter((c) => c.state === 1).map((c) => `k8ts://${c.id}`),
        [main(before)?.containerID],
        `${what}: the container was replaced`,
      );
      const p = await getPod("adopt");
      assert.equal(main(p)?.restartCount, 1);
      assert.equal(main(p)?.state?.running?.startedAt, main(before)?.state?.running?.startedAt);
    };

    // The real verb takes over the node, and is then killed outright.
    await node.stopAgent();
    const verb = startK8ts([
      "nodeagent",
      "--kubeconfig",
      node.kubeconfig,
      "--node-name",
      node.nodeName,
      "--runtime-endpoint",
      node.shim.address,
      "--root-dir",
      node.rootDir,
      "--port",
      "0",
    ]);
    try {
      const port = await waitFor(
        async () => {
          const n = await node.client.get<Node>(NODES, node.nodeName);
          const p = n.status?.daemonEndpoints?.kubeletEndpoint?.Port;
          return p && p !== node.agent.port ? p : undefined;
        },
        { timeoutMs: 20_000, what: `k8ts nodeagent to register (${verb.output()})` },
      );
      await sameContainer(port, "k8ts nodeagent");
    } finally {
      if (verb.child.pid) process.kill(-verb.child.pid, "SIGKILL");
      await verb.stop();
    }
    await node.startAgent();
    await sameContainer(node.agent.port, "after SIGKILL");

    // Deleted for good while no agent ran: the next agent finds the orphan in the runtime and removes it.
    await node.stopAgent();
    await node.client.delete(PODS, "adopt", { namespace: "default", options: { gracePeriodSeconds: 0 } });
    await node.startAgent();
    await waitFor(
      async () => {
        const { items = [] } = await node.shim.runtime.ListPodSandbox({
          filter: { labelSelector: { "io.kubernetes.pod.uid": before.metadata.uid! } },
        });
        return items.length === 0;
      },
      { timeoutMs: 20_000, what: "the orphaned sandbox to be removed" },
    );
  });
});
