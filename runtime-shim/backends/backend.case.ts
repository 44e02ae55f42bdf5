// The runtime conformance suite, in the spirit of cri-tools' `critest` validation: sandbox and
// container lifecycles, exit codes and reasons, stop timeouts, logs, exec, images and restart
// recovery, all over the real gRPC socket of a real `k8ts runtime-shim` process. Every backend's
// test file runs it (process/process.int.test.ts, runc/runc.int.test.ts), so they behave alike.

import assert from "node:assert/strict";
import { readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { WebSocket } from "ws";
import {
  ContainerState,
  GrpcStatus,
  PodSandboxState,
  type ServiceError,
} from "../../proto/runtime/v1/index.js";
import {
  openExecStream,
  startRuntimeShim,
  type TestRuntimeShim,
  waitFor,
  waitForTerminalSize,
} from "../../testing/index.js";
import { alive } from "../monitor/launcher.js";
import type { BackendName } from "./backend.js";

async function rejectsWith(
  call: Promise<unknown>,
  code: GrpcStatus,
  message?: RegExp,
): Promise<ServiceError> {
  const err = await call.then(
    () => assert.fail(`expected gRPC status ${GrpcStatus[code]}, the call succeeded`),
    (e: ServiceError) => e,
  );
  assert.equal(err.code, code, `expected ${GrpcStatus[code]}, got ${GrpcStatus[err.code]}: ${err.details}`);
  if (message) assert.match(err.details, message);
  return err;
}

/** Runs until SIGTERM, then exits 143. */
const politeCommand = ["sh", "-c", "trap 'exit 143' TERM; sleep 1000 & wait"];

export function backendConformance(backend: BackendName): void {
  describe(`runtime conformance: ${backend} backend`, () => {
    let shim: TestRuntimeShim;
    let pods = 0;

    before(async () => {
      shim = await startRuntimeShim({ backend });
      await shim.image.PullImage({ image: { image: "busybox" } });
    });
    after(async () => {
      await shim?.stop();
    });

    async function runPod(labels: Record<string, string> = {}): Promise<string> {
      pods++;
      const { podSandboxId } = await shim.runtime.RunPodSandbox({
        config: {
          metadata: { name: `pod-${pods}`, namespace: "default", uid: `uid-${pods}`, attempt: 0 },
          logDirectory: join(shim.dir, "logs", `pod-${pods}`),
          labels,
        },
      });
      return podSandboxId!;
    }

    async function createContainer(pod: string, name: string, command: string[]): Promise<string> {
      const { containerId } = await shim.runtime.CreateContainer({
        podSandboxId: pod,
        config: {
          metadata: { name },
          image: { image: "busybox" },
          command,
          logPath: `${name}.log`,
          envs: [{ key: "GREETING", value: Buffer.from("hello") }],
        },
      });
      return containerId!;
    }

    async function runContainer(pod: string, name: string, command: string[]): Promise<string> {
      const id = await createContainer(pod, name, command);
      await shim.runtime.StartContainer({ containerId: id });
      return id;
    }

    const status = async (id: string) => (await shim.runtime.ContainerStatus({ containerId: id })).status!;

    const exited = (id: string, timeoutMs = 10_000) =>
      waitFor(
        async () => {
          const s = await status(id);
          return s.state === ContainerState.CONTAINER_EXITED ? s : undefined;
        },
        { timeoutMs, what: `container ${id} to exit` },
      );

    test("Version names the runtime and CRI v1", async () => {
      const v = await shim.runtime.Version({ version: "v1" });
      assert.equal(v.runtimeName, "k8ts");
      assert.equal(v.runtimeApiVersion, "v1");
      assert.match(v.runtimeVersion!, new RegExp(`backend ${backend}`));
    });

    test("images: pull, list, status, remove; an unknown image fails to pull with a clear message", async () => {
      const { images = [] } = await shim.image.ListImages({});
      const busybox = images.find((i) => i.repoTags?.includes("docker.io/library/busybox:latest"));
      assert.ok(busybox, "busybox is listed after PullImage");
      assert.match(busybox.id!, /^sha256:[0-9a-f]{64}$/);
      assert.ok(busybox.size! > 100_000);
      const st = await shim.image.ImageStatus({ image: { image: "busybox:latest" } });
      assert.equal(st.image?.id, busybox.id);
      await rejectsWith(
        shim.image.PullImage({ image: { image: "no-such-image:1" } }),
        GrpcStatus.NOT_FOUND,
        /not found/,
      );
      const fs = await shim.image.ImageFsInfo({});
      assert.ok(fs.imageFilesystems![0]!.usedBytes!.value! > 0);
      // An image in use stays.
      const pod = await runPod();
      const user = await createContainer(pod, "user", ["true"]);
      await rejectsWith(
        shim.image.RemoveImage({ image: { image: "busybox" } }),
        GrpcStatus.FAILED_PRECONDITION,
        /in use/,
      );
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
      await rejectsWith(shim.runtime.ContainerStatus({ containerId: user }), GrpcStatus.NOT_FOUND);
      // Remove, see it gone, then pull again (the built-in image is rebuilt).
      await shim.image.RemoveImage({ image: { image: "busybox" } });
      assert.equal((await shim.image.ImageStatus({ image: { image: "busybox" } })).image, undefined);
      const again = await shim.image.PullImage({ image: { image: "busybox" } });
      assert.equal(again.imageRef, busybox.id, "the built-in image is reproducible");
    });

    test("sandbox lifecycle: ready, listed by label, not ready after stop, gone after remove", async () => {
      const id = await runPod({ app: "web" });
      const st = await shim.runtime.PodSandboxStatus({ podSandboxId: id });
      assert.equal(st.status?.state, PodSandboxState.SANDBOX_READY);
      assert.equal(st.status?.metadata?.name, `pod-${pods}`);
      const listed = await shim.runtime.ListPodSandbox({ filter: { labelSelector: { app: "web" } } });
      assert.deepEqual(
        listed.items?.map((s) => s.id),
        [id],
      );
      await shim.runtime.StopPodSandbox({ podSandboxId: id });
      await shim.runtime.StopPodSandbox({ podSandboxId: id }); // idempotent
      const stopped = await shim.runtime.PodSandboxStatus({ podSandboxId: id });
      assert.equal(stopped.status?.state, PodSandboxState.SANDBOX_NOTREADY);
      await shim.runtime.RemovePodSandbox({ podSandboxId: id });
      await rejectsWith(shim.runtime.PodSandboxStatus({ podSandboxId: id }), GrpcStatus.NOT_FOUND);
    });

    test("bad sandbox requests: duplicate name, missing metadata, unknown id", async () => {
      const config = { metadata: { name: "dup", namespace: "default", uid: "dup-uid" } };
      const id = (await shim.runtime.RunPodSandbox({ config })).podSandboxId!;
      await rejectsWith(shim.runtime.RunPodSandbox({ config }), GrpcStatus.ALREADY_EXISTS, /already exists/);
      await rejectsWith(
        shim.runtime.RunPodSandbox({ config: { metadata: { name: "x" } } }),
        GrpcStatus.INVALID_ARGUMENT,
      );
      await rejectsWith(shim.runtime.StopPodSandbox({ podSandboxId: "f".repeat(64) }), GrpcStatus.NOT_FOUND);
      await rejectsWith(shim.runtime.ContainerStatus({ containerId: "e".repeat(64) }), GrpcStatus.NOT_FOUND);
      await rejectsWith(
        shim.runtime.CreateContainer({
          podSandboxId: id,
          config: { metadata: { name: "c" }, image: { image: "nope" } },
        }),
        GrpcStatus.NOT_FOUND,
        /pull it first/,
      );
      await shim.runtime.RemovePodSandbox({ podSandboxId: id });
    });

    test("container lifecycle: created, running, exited with code and reason, removed", async () => {
      const pod = await runPod();
      const id = await createContainer(pod, "worker", ["sh", "-c", "sleep 1000"]);
      assert.equal((await status(id)).state, ContainerState.CONTAINER_CREATED);
      await shim.runtime.StartContainer({ containerId: id });
      const running = await status(id);
      assert.equal(running.state, ContainerState.CONTAINER_RUNNING);
      assert.ok(running.startedAt! >= running.createdAt!);
      await rejectsWith(
        shim.runtime.StartContainer({ containerId: id }),
        GrpcStatus.FAILED_PRECONDITION,
        /is running/,
      );
      await rejectsWith(
        shim.runtime.CreateContainer({
          podSandboxId: pod,
          config: { metadata: { name: "worker" }, image: { image: "busybox" } },
        }),
        GrpcStatus.ALREADY_EXISTS,
      );
      const list = await shim.runtime.ListContainers({
        filter: { podSandboxId: pod, state: { state: ContainerState.CONTAINER_RUNNING } },
      });
      assert.deepEqual(
        list.containers?.map((c) => c.id),
        [id],
      );

      const failing = await runContainer(pod, "failing", ["sh", "-c", "exit 3"]);
      const done = await runContainer(pod, "done", ["true"]);
      const f = await exited(failing);
      assert.equal(f.exitCode, 3);
      assert.equal(f.reason, "Error");
      assert.ok(f.finishedAt! >= f.startedAt!);
      const d = await exited(done);
      assert.equal(d.exitCode, 0);
      assert.equal(d.reason, "Completed");

      await shim.runtime.RemoveContainer({ containerId: id });
      await rejectsWith(shim.runtime.ContainerStatus({ containerId: id }), GrpcStatus.NOT_FOUND);
      await shim.runtime.RemoveContainer({ containerId: id }); // idempotent
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("stop: SIGTERM ends a cooperative container at once; one that ignores it is killed after the timeout", async () => {
      const pod = await runPod();
      // A shell that exits on SIGTERM (a bare `sleep` as PID 1 of a pid namespace ignores it, as in Kubernetes).
      const polite = await runContainer(pod, "polite", politeCommand);
      const stubborn = await runContainer(pod, "stubborn", [
        "sh",
        "-c",
        "trap '' TERM; while :; do sleep 1; done",
      ]);
      let t0 = Date.now();
      await shim.runtime.StopContainer({ containerId: polite, timeout: 10 });
      assert.ok(Date.now() - t0 < 5000, "a container that honours SIGTERM does not wait for the timeout");
      assert.equal((await status(polite)).exitCode, 143);
      t0 = Date.now();
      await shim.runtime.StopContainer({ containerId: stubborn, timeout: 1 });
      const elapsed = Date.now() - t0;
      const s = await status(stubborn);
      assert.equal(s.state, ContainerState.CONTAINER_EXITED);
      assert.equal(s.exitCode, 137);
      assert.ok(elapsed >= 1000 && elapsed < 6000, `SIGKILL came after the 1s timeout (took ${elapsed} ms)`);
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("logs: stdout and stderr lines in the CRI format, kept after exit", async () => {
      const pod = await runPod();
      const id = await runContainer(pod, "talker", [
        "sh",
        "-c",
        'echo "$GREETING out"; echo oops >&2; printf tail',
      ]);
      const s = await exited(id);
      const lines = readFileSync(s.logPath!, "utf8").trimEnd().split("\n");
      const entry = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) (F|P) (.*)$/;
      for (const l of lines) assert.match(l, entry);
      const parsed = lines.map((l) => entry.exec(l)!.slice(1));
      assert.deepEqual(
        parsed.filter((p) => p[0] === "stdout").map((p) => p[2]),
        ["hello out", "tail"],
      );
      assert.deepEqual(
        parsed.filter((p) => p[0] === "stderr").map((p) => p[2]),
        ["oops"],
      );
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("ReopenContainerLog: after a rename, entries go on at the log path with none lost; not for a stopped container", async () => {
      const pod = await runPod();
      const id = await runContainer(pod, "rotator", [
        "sh",
        "-c",
        'i=0; while true; do echo "line $i"; i=$((i+1)); sleep 0.02; done',
      ]);
      const logPath = (await status(id)).logPath!;
      const numbers = (file: string) =>
        readFileSync(file, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => Number(/ line (\d+)$/.exec(l)?.[1]));
      const linesIn = (file: string, atLeast: number) =>
        waitFor(
          () => {
            try {
              const n = numbers(file);
              return n.length >= atLeast ? n : undefined;
            } catch {
              return undefined; // not there yet
            }
          },
          { timeoutMs: 10_000, what: `${atLeast} lines in ${file}` },
        );
      await linesIn(logPath, 3);
      renameSync(logPath, `${logPath}.1`);
      await shim.runtime.ReopenContainerLog({ containerId: id });
      const rotatedSize = statSync(`${logPath}.1`).size;
      await linesIn(logPath, 5);
      assert.equal(statSync(`${logPath}.1`).size, rotatedSize, "nothing more went to the renamed file");
      const all = [...numbers(`${logPath}.1`), ...numbers(logPath)];
      assert.deepEqual(
        all,
        all.map((_, i) => i),
        "every line once, in order, across the two files",
      );
      await shim.runtime.StopContainer({ containerId: id, timeout: 0 });
      await rejectsWith(
        shim.runtime.ReopenContainerLog({ containerId: id }),
        GrpcStatus.FAILED_PRECONDITION,
        /not running/,
      );
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("exec sync: output and exit code; a timeout is DEADLINE_EXCEEDED", async () => {
      const pod = await runPod();
      const id = await runContainer(pod, "target", ["sleep", "1000"]);
      const r = await shim.runtime.ExecSync({
        containerId: id,
        cmd: ["sh", "-c", "echo $GREETING; echo err >&2; exit 2"],
      });
      assert.equal(Buffer.from(r.stdout!).toString(), "hello\n");
      assert.equal(Buffer.from(r.stderr!).toString(), "err\n");
      assert.equal(r.exitCode, 2);
      await rejectsWith(
        shim.runtime.ExecSync({ containerId: id, cmd: ["sleep", "30"], timeout: 1 }),
        GrpcStatus.DEADLINE_EXCEEDED,
      );
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("stats: cpu and memory of a running container, by id and listed by pod", async () => {
      const pod = await runPod();
      const id = await runContainer(pod, "busy", [
        "sh",
        "-c",
        "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; sleep 1000",
      ]);
      const stats = await waitFor(
        async () => {
          const { stats } = await shim.runtime.ContainerStats({ containerId: id });
          return (stats?.cpu?.usageCoreNanoSeconds?.value ?? 0) > 0 ? stats : undefined;
        },
        { timeoutMs: 10_000, what: "cpu usage to show" },
      );
      assert.equal(stats!.attributes?.id, id);
      assert.ok(stats!.memory!.workingSetBytes!.value! > 0, "memory in use is reported");
      const listed = await shim.runtime.ListContainerStats({ filter: { podSandboxId: pod } });
      assert.deepEqual(
        listed.stats?.map((s) => s.attributes?.id),
        [id],
      );
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("exec: a single-use URL streams stdin, stdout, stderr and the exit code (v4.channel.k8s.io)", async () => {
      const pod = await runPod();
      const id = await runContainer(pod, "shell", ["sleep", "1000"]);
      const { url } = await shim.runtime.Exec({
        containerId: id,
        cmd: ["sh", "-c", "read x; echo got $x; echo warn >&2; exit 3"],
        stdin: true,
        stdout: true,
        stderr: true,
      });
      const wsUrl = url!.replace(/^http/, "ws");
      const ws = new WebSocket(wsUrl, "v4.channel.k8s.io");
      const got: Record<number, string> = { 1: "", 2: "", 3: "" };
      await new Promise<void>((resolve, reject) => {
        ws.on("open", () => ws.send(Buffer.concat([Buffer.from([0]), Buffer.from("hello\n")])));
        ws.on("message", (data: Buffer) => {
          got[data[0]!] += data.subarray(1).toString();
        });
        ws.on("close", () => resolve());
        ws.on("error", reject);
      });
      assert.equal(got[1], "got hello\n");
      assert.equal(got[2], "warn\n");
      const st = JSON.parse(got[3]!);
      assert.equal(st.status, "Failure");
      assert.equal(st.details.causes[0].message, "3");
      // The URL was used up.
      const again = new WebSocket(wsUrl, "v4.channel.k8s.io");
      const refused = await new Promise<number>((resolve) => {
        again.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        again.on("open", () => resolve(101));
        again.on("error", () => {});
      });
      again.terminate();
      assert.equal(refused, 404);
      await rejectsWith(
        shim.runtime.Exec({ containerId: id, cmd: ["sh"], tty: true, stdout: true, stderr: true }),
        GrpcStatus.INVALID_ARGUMENT,
        /tty and stderr/,
      );
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("exec with a TTY: a shell on a terminal, resized by channel 4, its exit code on channel 3", async () => {
      const pod = await runPod();
      const id = await runContainer(pod, "interactive", ["sleep", "1000"]);
      const { url } = await shim.runtime.Exec({
        containerId: id,
        cmd: ["sh"],
        tty: true,
        stdin: true,
        stdout: true,
      });
      const term = await openExecStream(url!);
      try {
        assert.equal(term.protocol, "v5.channel.k8s.io");
        term.resize(100, 30);
        term.type("test -t 0 && echo on-a-$TERM-terminal\n");
        await term.waitOutput(/on-a-xterm-terminal\r$/m, "the shell to see a terminal");
        // The resize reaches the shell's terminal asynchronously (runc passes it on at SIGWINCH).
        await waitForTerminalSize(term, "30 100");
        term.resize(132, 43);
        await waitForTerminalSize(term, "43 132");
        term.type("echo hi-$((1 + 2)); exit 3\n");
        const { code, status } = await term.closed;
        assert.match(term.output(), /hi-3\r$/m, "output lines end in CRLF, as a terminal writes them");
        assert.equal(term.output(2), "", "nothing on stderr: the terminal carries it");
        assert.equal(code, 1000);
        assert.equal(status?.reason, "NonZeroExitCode");
        assert.deepEqual(status?.details?.causes, [{ reason: "ExitCode", message: "3" }]);
      } finally {
        term.terminate();
      }
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("exec with a TTY: closing stdin ends the shell (EOF), hanging up ends it, a missing command is a clear error", async () => {
      const pod = await runPod();
      const id = await runContainer(pod, "interactive", ["sleep", "1000"]);
      const exec = async (cmd: string[]) =>
        openExecStream(
          (await shim.runtime.Exec({ containerId: id, cmd, tty: true, stdin: true, stdout: true })).url!,
        );
      const eof = await exec(["sh"]);
      eof.type("echo ready-$((1 + 1))\n");
      await eof.waitOutput(/ready-2\r$/m, "the shell to answer");
      eof.closeStdin();
      const ended = await eof.closed;
      assert.equal(ended.status?.status, "Success");

      const hung = await exec(["sh", "-c", "echo started as $$; sleep 1000"]);
      const pid = (await hung.waitOutput(/^started as (\d+)\r$/m, "the command to start"))[1]!;
      hung.terminate();
      await waitFor(
        async () => {
          const r = await shim.runtime.ExecSync({ containerId: id, cmd: ["kill", "-0", pid] });
          return r.exitCode !== 0;
        },
        { timeoutMs: 10_000, what: "the hung-up command to end" },
      );

      // The shim says so in the Status (process), or runc says so on the terminal (runc).
      const missing = await exec(["no-such-command"]);
      const { status } = await missing.closed;
      assert.equal(status?.status, "Failure");
      assert.match(`${missing.output()} ${status?.message}`, /"no-such-command": executable file not found/);
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("a command missing from the image fails StartContainer with the reason, never hangs", async () => {
      const pod = await runPod();
      const id = await createContainer(pod, "typo", ["/bin/no-such-command"]);
      await rejectsWith(
        shim.runtime.StartContainer({ containerId: id }),
        GrpcStatus.UNKNOWN,
        /no-such-command/,
      );
      const s = await status(id);
      assert.equal(s.state, ContainerState.CONTAINER_EXITED);
      assert.equal(s.reason, "StartError");
      assert.equal(s.exitCode, 128);
      assert.match(s.message!, /no-such-command/);
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("restart: the shim finds its sandboxes again and reports containers that exited while it was down", async () => {
      const pod = await runPod();
      const keeps = await runContainer(pod, "keeps-running", politeCommand);
      const ends = await runContainer(pod, "ends-while-down", ["sh", "-c", "sleep 1; exit 7"]);
      await shim.restart();
      const s = await exited(ends);
      assert.equal(s.exitCode, 7);
      assert.equal((await status(keeps)).state, ContainerState.CONTAINER_RUNNING);
      const pods = await shim.runtime.ListPodSandbox({ filter: { id: pod } });
      assert.equal(pods.items?.length, 1);
      await shim.runtime.StopContainer({ containerId: keeps, timeout: 5 });
      assert.equal((await status(keeps)).exitCode, 143);
      await shim.runtime.RemovePodSandbox({ podSandboxId: pod });
    });

    test("teardown: a stopped node's shim removes every pod it left running", async () => {
      const pod = await runPod();
      const id = await runContainer(pod, "left-running", ["sleep", "1000"]);
      const pid = Number((await shim.runtime.ContainerStatus({ containerId: id, verbose: true })).info?.pid);
      assert.ok(pid > 0 && alive(pid));
      await shim.teardown();
      assert.equal(alive(pid), false, "the container's process is gone");
      await shim.start();
      const { items = [] } = await shim.runtime.ListPodSandbox({});
      assert.deepEqual(items, []);
      const { containers = [] } = await shim.runtime.ListContainers({});
      assert.deepEqual(containers, []);
    });
  });
}
