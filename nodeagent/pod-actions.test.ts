import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, RestartPolicy } from "../api/index.js";
import {
  type CrashLoopBackoff,
  computePodActions,
  containerHash,
  type PodActions,
  type ProbeResult,
} from "./pod-actions.js";
import type { ObservedContainer, ObservedPod, ObservedSandbox } from "./runtime.js";

const NOW = 1_000_000_000;
const cfg: CrashLoopBackoff = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

function pod(opts: { policy?: RestartPolicy; inits?: string[]; containers?: string[] } = {}): Pod {
  return {
    metadata: { name: "p", namespace: "default", uid: "u1" },
    spec: {
      restartPolicy: opts.policy ?? "Always",
      // "side:" marks a sidecar init container (restartPolicy Always).
      initContainers: opts.inits?.map((n) =>
        n.startsWith("side:")
          ? { name: n.slice(5), image: "busybox", restartPolicy: "Always" as const }
          : { name: n, image: "busybox" },
      ),
      containers: (opts.containers ?? ["main"]).map((name) => ({ name, image: "busybox" })),
    },
  };
}

const sandbox = (over: Partial<ObservedSandbox> = {}): ObservedSandbox => ({
  id: "sb1",
  attempt: 0,
  ready: true,
  ip: "10.0.0.2",
  createdAt: NOW - 100_000,
  ...over,
});

let seq = 0;
function ctr(name: string, over: Partial<ObservedContainer> = {}): ObservedContainer {
  seq++;
  return {
    id: `${name}-${seq}`,
    sandboxId: "sb1",
    name,
    attempt: 0,
    state: "running",
    createdAt: NOW - 50_000 + seq,
    startedAt: NOW - 50_000 + seq,
    finishedAt: 0,
    exitCode: 0,
    reason: "",
    message: "",
    image: "busybox",
    imageRef: "sha256:x",
    restartCount: 0,
    backoffStep: 0,
    hash: containerHash({ name, image: "busybox" }),
    logPath: "",
    ...over,
  };
}

const exited = (name: string, exitCode: number, over: Partial<ObservedContainer> = {}) =>
  ctr(name, { state: "exited", exitCode, finishedAt: NOW - 1_000, startedAt: NOW - 2_000, ...over });

function observed(sandboxes: ObservedSandbox[], containers: ObservedContainer[]): ObservedPod {
  return { uid: "u1", sandboxes, containers: [...containers].sort((a, b) => b.createdAt - a.createdAt) };
}

interface Case {
  name: string;
  pod: Pod;
  observed: ObservedPod;
  liveness?: Record<string, ProbeResult>;
  startup?: Record<string, ProbeResult>;
  want: Partial<{
    killPod: boolean;
    createSandbox: boolean;
    sandboxAttempt: number;
    initToStart: string;
    start: string[];
    kill: string[];
    backoff: [string, number][];
    requeueAfterMs: number;
    terminal: "Succeeded" | "Failed";
    restartCount: number;
    backoffStep: number;
    remove: number;
  }>;
}

const cases: Case[] = [
  {
    name: "new pod: sandbox, then all containers",
    pod: pod({ containers: ["a", "b"] }),
    observed: observed([], []),
    want: { killPod: false, createSandbox: true, sandboxAttempt: 0, start: ["a", "b"] },
  },
  {
    name: "new pod with init containers: sandbox and the first init container only",
    pod: pod({ inits: ["i1", "i2"] }),
    observed: observed([], []),
    want: { createSandbox: true, initToStart: "i1", start: [] },
  },
  {
    name: "init container running: wait",
    pod: pod({ inits: ["i1", "i2"] }),
    observed: observed([sandbox()], [ctr("i1")]),
    want: { createSandbox: false, start: [] },
  },
  {
    name: "first init succeeded: the second starts",
    pod: pod({ inits: ["i1", "i2"] }),
    observed: observed([sandbox()], [exited("i1", 0)]),
    want: { initToStart: "i2", start: [] },
  },
  {
    name: "all inits succeeded: the containers start",
    pod: pod({ inits: ["i1"] }),
    observed: observed([sandbox()], [exited("i1", 0)]),
    want: { start: ["main"] },
  },
  {
    name: "failed init with restartPolicy Always: a first failure is retried at once",
    pod: pod({ inits: ["i1"] }),
    observed: observed([sandbox()], [exited("i1", 1)]),
    want: { initToStart: "i1", backoff: [], start: [] },
  },
  {
    name: "failed init with restartPolicy Always: a second failure is retried after the backoff",
    pod: pod({ inits: ["i1"] }),
    observed: observed([sandbox()], [exited("i1", 1, { backoffStep: 1, restartCount: 1 })]),
    want: { backoff: [["i1", 10_000]], requeueAfterMs: 9_000, start: [] },
  },
  {
    name: "failed init with restartPolicy Never: the pod fails",
    pod: pod({ inits: ["i1"], policy: "Never" }),
    observed: observed([sandbox()], [exited("i1", 1)]),
    want: { terminal: "Failed", killPod: true, start: [] },
  },
  {
    name: "a sidecar init container that started lets the next init container go",
    pod: pod({ inits: ["side:proxy", "i1"] }),
    observed: observed([sandbox()], [ctr("proxy")]),
    want: { initToStart: "i1", start: [] },
  },
  {
    name: "inits done: the containers start while the sidecar keeps running",
    pod: pod({ inits: ["side:proxy", "i1"] }),
    observed: observed([sandbox()], [ctr("proxy"), exited("i1", 0)]),
    want: { start: ["main"], kill: [] },
  },
  {
    name: "a sidecar that stopped is restarted beside the containers, even under Never",
    pod: pod({ inits: ["side:proxy"], policy: "Never" }),
    observed: observed([sandbox()], [exited("proxy", 1, { finishedAt: NOW - 20_000 }), ctr("main")]),
    want: { start: ["proxy"], terminal: undefined },
  },
  {
    name: "the containers finished under Never: Succeeded, and the running sidecar is stopped",
    pod: pod({ inits: ["side:proxy"], policy: "Never" }),
    observed: observed([sandbox()], [ctr("proxy"), exited("main", 0)]),
    want: { terminal: "Succeeded", killPod: true },
  },
  {
    name: "a new sandbox runs the init containers again, from the first",
    pod: pod({ inits: ["i1", "i2"] }),
    observed: observed([sandbox({ ready: false })], [exited("i1", 0), exited("i2", 0), exited("main", 137)]),
    want: { createSandbox: true, initToStart: "i1", start: [] },
  },
  {
    name: "init containers that succeeded in an old sandbox do not count in the new one",
    pod: pod({ inits: ["i1", "i2"] }),
    observed: observed(
      [sandbox({ id: "sb2", attempt: 1 }), sandbox({ ready: false, createdAt: NOW - 200_000 })],
      [exited("i1", 0, { sandboxId: "sb2" }), exited("i2", 0), exited("main", 137)],
    ),
    want: { createSandbox: false, initToStart: "i2", start: [] },
  },
  {
    name: "running and healthy: nothing to do",
    pod: pod(),
    observed: observed([sandbox()], [ctr("main")]),
    want: { killPod: false, createSandbox: false, start: [], kill: [], backoff: [] },
  },
  {
    name: "first exit under Always: restarted at once, as the kubelet does",
    pod: pod(),
    observed: observed([sandbox()], [exited("main", 1)]),
    want: { start: ["main"], restartCount: 1, backoffStep: 1, backoff: [] },
  },
  {
    name: "second exit under Always: restart after 10 s",
    pod: pod(),
    observed: observed([sandbox()], [exited("main", 1, { backoffStep: 1, restartCount: 1 })]),
    want: { backoff: [["main", 10_000]], requeueAfterMs: 9_000, start: [] },
  },
  {
    name: "backoff over: restart with the next count and step",
    pod: pod(),
    observed: observed(
      [sandbox()],
      [exited("main", 1, { backoffStep: 1, restartCount: 1, finishedAt: NOW - 10_000 })],
    ),
    want: { start: ["main"], restartCount: 2, backoffStep: 2, backoff: [] },
  },
  {
    name: "fourth crash in a row waits 40 s (0, 10, 20, 40)",
    pod: pod(),
    observed: observed([sandbox()], [exited("main", 2, { backoffStep: 3, restartCount: 3 })]),
    want: { backoff: [["main", 40_000]], requeueAfterMs: 39_000 },
  },
  {
    name: "the delay is capped at 5 min",
    pod: pod(),
    observed: observed([sandbox()], [exited("main", 2, { backoffStep: 12, restartCount: 12 })]),
    want: { backoff: [["main", 300_000]] },
  },
  {
    name: "an instance that ran 10 min resets the backoff to 10 s",
    pod: pod(),
    observed: observed(
      [sandbox()],
      [exited("main", 2, { backoffStep: 6, startedAt: NOW - 700_000, finishedAt: NOW - 10_001 })],
    ),
    want: { start: ["main"], backoffStep: 1 },
  },
  {
    name: "exit 0 under OnFailure: the pod succeeded and its sandbox stops",
    pod: pod({ policy: "OnFailure" }),
    observed: observed([sandbox()], [exited("main", 0)]),
    want: { terminal: "Succeeded", killPod: true, start: [] },
  },
  {
    name: "exit 1 under OnFailure: restart after the backoff",
    pod: pod({ policy: "OnFailure" }),
    observed: observed([sandbox()], [exited("main", 1, { backoffStep: 1, restartCount: 1 })]),
    want: { backoff: [["main", 10_000]] },
  },
  {
    name: "exit 0 under Always: restarted too",
    pod: pod(),
    observed: observed([sandbox()], [exited("main", 0, { backoffStep: 1, restartCount: 1 })]),
    want: { backoff: [["main", 10_000]] },
  },
  {
    name: "one of two exits 1 under Never: the other keeps running, not yet terminal",
    pod: pod({ policy: "Never", containers: ["a", "b"] }),
    observed: observed([sandbox()], [exited("a", 1), ctr("b")]),
    want: { start: [], backoff: [], killPod: false },
  },
  {
    name: "all exited under Never with one failure: Failed",
    pod: pod({ policy: "Never", containers: ["a", "b"] }),
    observed: observed([sandbox()], [exited("a", 1), exited("b", 0)]),
    want: { terminal: "Failed", killPod: true },
  },
  {
    name: "finished pod whose sandbox is already stopped: nothing at all",
    pod: pod({ policy: "Never" }),
    observed: observed([sandbox({ ready: false })], [exited("main", 0)]),
    want: { terminal: "Succeeded", killPod: false, createSandbox: false },
  },
  {
    name: "past activeDeadlineSeconds: Failed, everything stops",
    pod: {
      ...pod(),
      spec: { ...pod().spec!, activeDeadlineSeconds: 30 },
      status: { startTime: new Date(NOW - 31_000).toISOString() },
    },
    observed: observed([sandbox()], [ctr("main")]),
    want: { terminal: "Failed", killPod: true, start: [] },
  },
  {
    name: "before activeDeadlineSeconds: sync again when it passes",
    pod: {
      ...pod(),
      spec: { ...pod().spec!, activeDeadlineSeconds: 30 },
      status: { startTime: new Date(NOW - 10_000).toISOString() },
    },
    observed: observed([sandbox()], [ctr("main")]),
    want: { killPod: false, requeueAfterMs: 20_000 },
  },
  {
    name: "a pod reported Failed stays finished: its killed containers are not restarted",
    pod: { ...pod(), status: { phase: "Failed" } },
    observed: observed([sandbox({ ready: false })], [exited("main", 137)]),
    want: { terminal: "Failed", killPod: false, start: [], backoff: [] },
  },
  {
    name: "liveness failure: kill, the restart follows the exit",
    pod: pod(),
    observed: observed([sandbox()], [ctr("main", { id: "c-live" })]),
    liveness: { "c-live": "failure" },
    want: { kill: ["main"], killPod: false, start: [] },
  },
  {
    name: "startup probe gave up: kill",
    pod: pod(),
    observed: observed([sandbox()], [ctr("main", { id: "c-st" })]),
    startup: { "c-st": "failure" },
    want: { kill: ["main"] },
  },
  {
    name: "a liveness failure of an old instance does not kill the new one",
    pod: pod(),
    observed: observed([sandbox()], [ctr("main", { id: "c-new" })]),
    liveness: { "c-old": "failure" },
    want: { kill: [] },
  },
  {
    name: "changed image: kill",
    pod: pod(),
    observed: observed([sandbox()], [ctr("main", { hash: "0000" })]),
    want: { kill: ["main"] },
  },
  {
    name: "sandbox died: kill everything, new sandbox with the next attempt, containers again",
    pod: pod(),
    observed: observed(
      [sandbox({ ready: false, attempt: 2 })],
      [exited("main", 137, { finishedAt: NOW - 20_000 })],
    ),
    want: { killPod: true, createSandbox: true, sandboxAttempt: 3, start: ["main"], restartCount: 1 },
  },
  {
    name: "sandbox died under Never after the containers ran: no new sandbox",
    pod: pod({ policy: "Never" }),
    observed: observed([sandbox({ ready: false })], [ctr("main")]),
    want: { createSandbox: false, killPod: true },
  },
  {
    name: "two ready sandboxes: start over",
    pod: pod(),
    observed: observed([sandbox({ id: "a" }), sandbox({ id: "b", attempt: 1 })], [ctr("main")]),
    want: { killPod: true, createSandbox: true },
  },
  {
    name: "older dead instances are removed, the newest dead one is kept for --previous",
    pod: pod(),
    observed: observed([sandbox()], [exited("main", 1), exited("main", 1), ctr("main")]),
    want: { remove: 1, kill: [] },
  },
];

function check(got: PodActions, c: Case): void {
  const w = c.want;
  if (w.killPod !== undefined) assert.equal(got.killPod, w.killPod, "killPod");
  if (w.createSandbox !== undefined) assert.equal(got.createSandbox, w.createSandbox, "createSandbox");
  if (w.sandboxAttempt !== undefined) assert.equal(got.sandboxAttempt, w.sandboxAttempt, "sandboxAttempt");
  if (w.initToStart !== undefined) assert.equal(got.initToStart?.name, w.initToStart, "initToStart");
  if (w.start !== undefined)
    assert.deepEqual(
      got.containersToStart.map((s) => s.name),
      w.start,
      "start",
    );
  if (w.kill !== undefined)
    assert.deepEqual(
      got.containersToKill.map((k) => k.name),
      w.kill,
      "kill",
    );
  if (w.backoff !== undefined)
    assert.deepEqual(
      got.backoff.map((b) => [b.name, b.delayMs]),
      w.backoff,
      "backoff",
    );
  if (w.requeueAfterMs !== undefined) assert.equal(got.requeueAfterMs, w.requeueAfterMs, "requeueAfterMs");
  if (w.terminal !== undefined) assert.equal(got.terminal, w.terminal, "terminal");
  const started = got.initToStart ?? got.containersToStart[0];
  if (w.restartCount !== undefined) assert.equal(started?.restartCount, w.restartCount, "restartCount");
  if (w.backoffStep !== undefined) assert.equal(started?.backoffStep, w.backoffStep, "backoffStep");
  if (w.remove !== undefined) assert.equal(got.containersToRemove.length, w.remove, "remove");
}

describe("computePodActions", () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = computePodActions({
        pod: c.pod,
        observed: c.observed,
        now: NOW,
        backoff: cfg,
        liveness: new Map(Object.entries(c.liveness ?? {})),
        startup: new Map(Object.entries(c.startup ?? {})),
      });
      check(got, c);
    });
  }
});
