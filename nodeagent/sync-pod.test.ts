import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { Pod } from "../api/index.js";
import { FakeClock, KeyedBackoff } from "../client/index.js";
import { computePodActions, KUBERNETES_CRASH_LOOP_BACKOFF } from "./pod-actions.js";
import { ANNOTATION_RESTART_COUNT, type ImageService, type ObservedPod, type Runtime } from "./runtime.js";
import { killPod, type SyncContext, syncPod } from "./sync-pod.js";

const root = mkdtempSync(join(tmpdir(), "k8ts-syncpod-"));
after(() => rmSync(root, { recursive: true, force: true }));

type Call = [string, Record<string, unknown>];

/** A runtime that records every call; `fail` makes a method reject with a gRPC-like error. */
function fakeRuntime(fail: Record<string, string> = {}) {
  const calls: Call[] = [];
  const handler = (name: string, answer: unknown) => async (req: Record<string, unknown>) => {
    calls.push([name, req]);
    if (fail[name]) throw Object.assign(new Error(fail[name]), { details: fail[name] });
    return answer;
  };
  const runtime = {
    RunPodSandbox: handler("RunPodSandbox", { podSandboxId: "sb1" }),
    PodSandboxStatus: handler("PodSandboxStatus", { status: { network: { ip: "10.9.0.2" } } }),
    CreateContainer: handler("CreateContainer", { containerId: "c1" }),
    StartContainer: handler("StartContainer", {}),
    StopContainer: handler("StopContainer", {}),
    StopPodSandbox: handler("StopPodSandbox", {}),
    RemoveContainer: handler("RemoveContainer", {}),
    ExecSync: handler("ExecSync", { stdout: new Uint8Array(), stderr: new Uint8Array(), exitCode: 0 }),
  } as unknown as Runtime;
  const images: ImageService = {
    PullImage: handler("PullImage", { imageRef: "sha256:1" }) as ImageService["PullImage"],
    ImageStatus: handler("ImageStatus", {}) as ImageService["ImageStatus"],
  };
  return { runtime, images, calls, names: () => calls.map((c) => c[0]) };
}

function context(f: ReturnType<typeof fakeRuntime>, clock = new FakeClock()) {
  const events: string[] = [];
  const ctx: SyncContext = {
    runtime: f.runtime,
    images: f.images,
    events: { event: (_o, type, reason, message) => events.push(`${type} ${reason} ${message}`) },
    rootDir: root,
    hostIP: "127.0.0.1",
    clock,
    imageBackoff: new KeyedBackoff({ initialMs: 10_000, maxMs: 300_000 }, clock),
  };
  return { ctx, events, clock };
}

const pod = (extra: Partial<NonNullable<Pod["spec"]>["containers"][0]> = {}): Pod => ({
  metadata: { name: "p", namespace: "default", uid: "u1" },
  spec: { containers: [{ name: "main", image: "busybox", command: ["sleep", "1"], ...extra }] },
});
const empty: ObservedPod = { uid: "u1", sandboxes: [], containers: [] };

function plan(p: Pod, o: ObservedPod) {
  return computePodActions({ pod: p, observed: o, now: Date.now(), backoff: KUBERNETES_CRASH_LOOP_BACKOFF });
}

describe("syncPod", () => {
  it("a new pod: sandbox, pull, create, start — in that order, one result and one event per step", async () => {
    const f = fakeRuntime();
    const { ctx, events } = context(f);
    const r = await syncPod(ctx, pod(), empty, plan(pod(), empty));
    assert.deepEqual(f.names(), [
      "RunPodSandbox",
      "PodSandboxStatus",
      "PullImage",
      "CreateContainer",
      "StartContainer",
    ]);
    assert.deepEqual(
      r.steps.map((s) => [s.action, s.error]),
      [
        ["CreatePodSandbox", undefined],
        ["PullImage", undefined],
        ["CreateContainer", undefined],
        ["StartContainer", undefined],
      ],
    );
    assert.deepEqual(
      events.map((e) => e.split(" ").slice(0, 2).join(" ")),
      ["Normal Pulling", "Normal Pulled", "Normal Created", "Normal Started"],
    );
    const create = f.calls.find((c) => c[0] === "CreateContainer")![1] as {
      podSandboxId: string;
      config: { annotations: Record<string, string>; labels: Record<string, string> };
    };
    assert.equal(create.podSandboxId, "sb1");
    assert.equal(create.config.annotations[ANNOTATION_RESTART_COUNT], "0");
    assert.equal(create.config.labels["io.kubernetes.pod.uid"], "u1");
  });

  it("a failed pull is ErrImagePull, then ImagePullBackOff without pulling again until the backoff passed", async () => {
    const f = fakeRuntime({ PullImage: 'image "nope" not found' });
    const { ctx, events, clock } = context(f);
    const p = pod({ image: "nope:1" });
    const first = await syncPod(ctx, p, empty, plan(p, empty));
    assert.equal(first.reasons.get("main")?.reason, "ErrImagePull");
    assert.match(
      first.reasons.get("main")?.message ?? "",
      /Failed to pull image "nope:1": image "nope" not found/,
    );
    assert.equal(first.requeueAfterMs, 10_000);
    assert.ok(!f.names().includes("CreateContainer"));
    const pulls = () => f.names().filter((n) => n === "PullImage").length;
    const second = await syncPod(ctx, p, empty, plan(p, empty));
    assert.equal(second.reasons.get("main")?.reason, "ImagePullBackOff");
    assert.equal(pulls(), 1);
    clock.advance(10_000);
    await syncPod(ctx, p, empty, plan(p, empty));
    assert.equal(pulls(), 2);
    assert.ok(events.includes('Warning Failed Failed to pull image "nope:1": image "nope" not found'));
  });

  it("a start that fails is RunContainerError with a Warning event", async () => {
    const f = fakeRuntime({ StartContainer: 'exec: "/nope": no such file or directory' });
    const { ctx, events } = context(f);
    const r = await syncPod(ctx, pod(), empty, plan(pod(), empty));
    assert.deepEqual(r.reasons.get("main"), {
      reason: "RunContainerError",
      message: 'exec: "/nope": no such file or directory',
    });
    assert.ok(events.includes('Warning Failed Error: exec: "/nope": no such file or directory'));
  });

  it("killPod runs preStop first, then stops with what is left of the grace period, then the sandbox", async () => {
    const f = fakeRuntime();
    const { ctx } = context(f);
    const p = pod({ lifecycle: { preStop: { exec: { command: ["sh", "-c", "sleep 1"] } } } });
    const running: ObservedPod = {
      uid: "u1",
      sandboxes: [{ id: "sb1", attempt: 0, ready: true, ip: "10.9.0.2", createdAt: 1 }],
      containers: [
        {
          id: "c1",
          sandboxId: "sb1",
          name: "main",
          attempt: 0,
          state: "running",
          createdAt: 1,
          startedAt: 1,
          finishedAt: 0,
          exitCode: 0,
          reason: "",
          message: "",
          image: "busybox",
          imageRef: "",
          restartCount: 0,
          backoffStep: 0,
          hash: "",
          logPath: "",
        },
      ],
    };
    const steps = await killPod(ctx, p, running, 5);
    assert.deepEqual(f.names(), ["ExecSync", "StopContainer", "StopPodSandbox"]);
    const stop = f.calls[1]![1] as { containerId: string; timeout: number };
    assert.equal(stop.containerId, "c1");
    assert.ok(stop.timeout <= 5 && stop.timeout >= 4, `stop timeout ${stop.timeout}`);
    assert.ok(steps.every((s) => !s.error));
  });
});
