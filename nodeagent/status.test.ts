import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, RestartPolicy } from "../api/index.js";
import type { BackoffWait, ProbeResult } from "./pod-actions.js";
import type { ObservedContainer, ObservedPod } from "./runtime.js";
import { generatePodStatus, statusChanged, type WaitingReason } from "./status.js";

const NOW = Date.parse("2026-01-01T00:10:00Z");

function pod(policy: RestartPolicy = "Always", readiness = false, inits: string[] = []): Pod {
  return {
    metadata: { name: "p", namespace: "default", uid: "u" },
    spec: {
      restartPolicy: policy,
      initContainers: inits.map((name) => ({ name, image: "busybox" })),
      containers: [
        {
          name: "main",
          image: "busybox",
          ...(readiness ? { readinessProbe: { exec: { command: ["true"] } } } : {}),
        },
      ],
    },
  };
}

let n = 0;
function ctr(
  name: string,
  state: ObservedContainer["state"],
  over: Partial<ObservedContainer> = {},
): ObservedContainer {
  n++;
  return {
    id: `${name}${n}`,
    sandboxId: "s",
    name,
    attempt: 0,
    state,
    createdAt: NOW - 60_000 + n,
    startedAt: NOW - 60_000 + n,
    finishedAt: state === "exited" ? NOW - 1000 : 0,
    exitCode: 0,
    reason: state === "exited" ? "Completed" : "",
    message: "",
    image: "busybox",
    imageRef: "sha256:abc",
    restartCount: 0,
    backoffStep: 0,
    hash: "",
    logPath: "",
    ...over,
  };
}

function observed(containers: ObservedContainer[], ip = "10.1.0.5"): ObservedPod {
  return {
    uid: "u",
    sandboxes: [{ id: "s", attempt: 0, ready: true, ip, createdAt: NOW - 70_000 }],
    containers: [...containers].sort((a, b) => b.createdAt - a.createdAt),
  };
}

function status(
  p: Pod,
  o: ObservedPod,
  more: {
    backoff?: BackoffWait[];
    reasons?: Record<string, WaitingReason>;
    readiness?: Record<string, ProbeResult>;
    stopped?: boolean;
  } = {},
) {
  return generatePodStatus({
    pod: p,
    observed: o,
    hostIP: "127.0.0.1",
    now: NOW,
    backoff: more.backoff ?? [],
    reasons: new Map(Object.entries(more.reasons ?? {})),
    readiness: new Map(Object.entries(more.readiness ?? {})),
    startup: new Map(),
    stopped: more.stopped,
  });
}

const cond = (s: ReturnType<typeof status>, type: string) =>
  s.conditions?.find((c) => c.type === type)?.status;

describe("generatePodStatus", () => {
  it("a new pod is Pending with its containers ContainerCreating", () => {
    const s = status(pod(), { uid: "u", sandboxes: [], containers: [] });
    assert.equal(s.phase, "Pending");
    assert.deepEqual(s.containerStatuses?.[0]?.state, { waiting: { reason: "ContainerCreating" } });
    assert.equal(s.podIP, undefined);
    assert.equal(s.hostIP, "127.0.0.1");
    assert.equal(cond(s, "PodScheduled"), "True");
  });

  it("regular containers wait in PodInitializing while init containers run", () => {
    const s = status(pod("Always", false, ["i"]), observed([ctr("i", "running")]));
    assert.equal(s.phase, "Pending");
    assert.equal(s.containerStatuses?.[0]?.state?.waiting?.reason, "PodInitializing");
    assert.ok(s.initContainerStatuses?.[0]?.state?.running);
    assert.equal(cond(s, "Initialized"), "False");
  });

  it("running without a readiness probe: Running and Ready, with the sandbox's IP", () => {
    const s = status(pod(), observed([ctr("main", "running")]));
    assert.equal(s.phase, "Running");
    assert.equal(s.podIP, "10.1.0.5");
    assert.deepEqual(s.podIPs, [{ ip: "10.1.0.5" }]);
    assert.equal(s.containerStatuses?.[0]?.ready, true);
    assert.equal(cond(s, "Ready"), "True");
    assert.equal(cond(s, "ContainersReady"), "True");
  });

  it("readiness decides ready: not before a success", () => {
    const c = ctr("main", "running");
    assert.equal(cond(status(pod("Always", true), observed([c])), "Ready"), "False");
    assert.equal(
      cond(status(pod("Always", true), observed([c]), { readiness: { [c.id]: "success" } }), "Ready"),
      "True",
    );
    assert.equal(
      cond(status(pod("Always", true), observed([c]), { readiness: { [c.id]: "failure" } }), "Ready"),
      "False",
    );
  });

  it("a crash-looping container: waiting CrashLoopBackOff, last state terminated, phase Running", () => {
    const dead = ctr("main", "exited", { exitCode: 2, reason: "Error", restartCount: 3 });
    const s = status(pod(), observed([dead]), {
      backoff: [{ name: "main", init: false, delayMs: 40_000, remainingMs: 39_000 }],
    });
    const st = s.containerStatuses![0]!;
    assert.equal(st.state?.waiting?.reason, "CrashLoopBackOff");
    assert.match(
      st.state?.waiting?.message ?? "",
      /^back-off 40s restarting failed container=main pod=p_default\(u\)$/,
    );
    assert.equal(st.lastState?.terminated?.exitCode, 2);
    assert.equal(st.lastState?.terminated?.reason, "Error");
    assert.equal(st.restartCount, 3);
    assert.equal(s.phase, "Running");
  });

  it("a running container keeps the previous instance as its last state", () => {
    const s = status(
      pod(),
      observed([
        ctr("main", "exited", { exitCode: 137, reason: "OOMKilled" }),
        ctr("main", "running", { restartCount: 1 }),
      ]),
    );
    assert.equal(s.containerStatuses?.[0]?.lastState?.terminated?.reason, "OOMKilled");
    assert.equal(s.containerStatuses?.[0]?.restartCount, 1);
  });

  it("a failed pull is shown as the container's waiting reason", () => {
    const s = status(pod(), observed([]), {
      reasons: { main: { reason: "ErrImagePull", message: "not found" } },
    });
    assert.deepEqual(s.containerStatuses?.[0]?.state?.waiting, {
      reason: "ErrImagePull",
      message: "not found",
    });
    assert.equal(s.phase, "Pending");
  });

  for (const [policy, exitCode, phase] of [
    ["Never", 0, "Succeeded"],
    ["Never", 1, "Failed"],
    ["OnFailure", 0, "Succeeded"],
  ] as const) {
    it(`restartPolicy ${policy}, exit ${exitCode}: ${phase}, not Ready (PodCompleted)`, () => {
      const s = status(
        pod(policy),
        observed([ctr("main", "exited", { exitCode, reason: exitCode ? "Error" : "Completed" })]),
      );
      assert.equal(s.phase, phase);
      assert.equal(s.containerStatuses?.[0]?.state?.terminated?.exitCode, exitCode);
      assert.equal(s.conditions?.find((c) => c.type === "Ready")?.reason, "PodCompleted");
    });
  }

  it("a deleted pod the agent stopped: terminated containers and a terminal phase, even under restartPolicy Always", () => {
    const killed = status(
      pod("Always"),
      observed([ctr("main", "exited", { exitCode: 137, reason: "Error" })]),
      { stopped: true },
    );
    assert.equal(killed.phase, "Failed");
    assert.equal(killed.containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
    assert.equal(killed.containerStatuses?.[0]?.ready, false);
    assert.equal(cond(killed, "Ready"), "False");
    assert.equal(killed.conditions?.find((c) => c.type === "Ready")?.reason, "PodCompleted");
    const clean = status(pod("Always"), observed([ctr("main", "exited", { exitCode: 0 })]), {
      stopped: true,
    });
    assert.equal(clean.phase, "Succeeded", "every container exited 0");
    const same = status(pod("Always"), observed([ctr("main", "exited", { exitCode: 137 })]));
    assert.equal(same.phase, "Running", "while the pod lives, Always restarts the container: still Running");
  });

  it("past activeDeadlineSeconds: Failed with reason DeadlineExceeded", () => {
    const p: Pod = {
      ...pod(),
      spec: { ...pod().spec!, activeDeadlineSeconds: 5 },
      status: { startTime: new Date(NOW - 6_000).toISOString() },
    };
    const s = status(p, observed([ctr("main", "running")]));
    assert.equal(s.phase, "Failed");
    assert.equal(s.reason, "DeadlineExceeded");
    assert.equal(s.message, "Pod was active on the node longer than the specified deadline");
  });

  it("keeps startTime and transition times while nothing changed, so no write is needed", () => {
    const p = pod();
    const o = observed([ctr("main", "running")]);
    const first = status(p, o);
    const later = generatePodStatus({
      pod: { ...p, status: first },
      observed: o,
      hostIP: "127.0.0.1",
      now: NOW + 60_000,
      backoff: [],
      reasons: new Map(),
      readiness: new Map(),
      startup: new Map(),
    });
    assert.equal(later.startTime, first.startTime);
    assert.equal(statusChanged(first, later), false);
  });
});
