// `kubectl exec -it POD -- sh` and `k8ts exec -it`, as a person types them at a terminal: the real
// kubectl 1.32 (and the k8ts CLI) run on a pseudo-terminal (testing/terminal.ts), against a real
// API server process on a real etcd, a node agent and a runc runtime-shim; keys typed, the screen
// read, the window resized, the shell's exit code becoming the command's.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type ApiServerProcess, startApiServerProcess } from "../testing/apiserver-process.js";
import {
  K8TS_MAIN,
  kubectlBinary,
  run,
  runOnTerminal,
  startTestNode,
  type TerminalProgram,
  type TestNode,
  waitFor,
  waitForTerminalSize,
} from "../testing/index.js";

let dir: string;
let cluster: ApiServerProcess;
let node: TestNode;
let env: NodeJS.ProcessEnv;
const running: TerminalProgram[] = [];

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "k8ts-exec-tty-"));
  cluster = await startApiServerProcess(dir);
  env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: cluster.kubeconfig, TERM: "xterm" };
  try {
    node = await startTestNode({ apiserverUrl: cluster.server, nodeName: "tty-e2e" });
    writeFileSync(join(dir, "pod.yaml"), POD.replace("spec:\n", `spec:\n  nodeName: ${node.nodeName}\n`));
    const created = await run(kubectlBinary(), ["apply", "-f", join(dir, "pod.yaml")], { env });
    assert.equal(created.code, 0, created.stderr);
    await waitFor(
      async () => {
        const r = await run(kubectlBinary(), ["get", "pod", "shell", "-o", "jsonpath={.status.phase}"], {
          env,
        });
        return r.stdout === "Running";
      },
      { timeoutMs: 30_000, what: "pod shell to be Running" },
    );
  } catch (err) {
    await node?.stop();
    await cluster.stop();
    throw err;
  }
});

after(async () => {
  for (const p of running) p.kill();
  try {
    await node?.stop();
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

function onTerminal(file: string, args: string[]): TerminalProgram {
  const p = runOnTerminal(file, args, { env, cols: 100, rows: 30 });
  running.push(p);
  return p;
}

describe("exec -it on a terminal", () => {
  test("kubectl 1.32: a shell prompt, typed commands, window resizes, and the exit code", async () => {
    const k = onTerminal(kubectlBinary(), ["exec", "-it", "shell", "--", "sh"]);
    // busybox's shell prompts "/ # " on a terminal.
    await k.waitOutput(/\/ # /, "the shell's prompt");
    k.type("echo $((6 * 7)); tty\r");
    await k.waitOutput(/42\r$/m, "the answer to the typed command");
    await k.waitOutput(/\/dev\/pts\/\d+\r$/m, "the shell's terminal");
    // kubectl sends the window's size on start and again at each SIGWINCH.
    await waitForTerminalSize(k, "30 100", { enter: "\r" });
    k.resize(140, 45);
    await waitForTerminalSize(k, "45 140", { enter: "\r" });
    k.type("exit 3\r");
    assert.equal(await k.exited, 3);
    assert.match(k.output(), /command terminated with exit code 3/);
  });

  test("kubectl 1.32: exit 0 ends kubectl with 0", async () => {
    const k = onTerminal(kubectlBinary(), ["exec", "-it", "shell", "--", "sh"]);
    await k.waitOutput(/\/ # /, "the shell's prompt");
    k.type("exit\r");
    assert.equal(await k.exited, 0);
  });

  test("k8ts exec -it: raw terminal, resize on SIGWINCH, exit code", async () => {
    const k = onTerminal(process.execPath, [K8TS_MAIN, "exec", "-it", "shell", "--", "sh"]);
    await k.waitOutput(/\/ # /, "the shell's prompt");
    k.type("echo k8ts-$((2 + 3))\r");
    await k.waitOutput(/k8ts-5\r$/m, "the typed command's output");
    await waitForTerminalSize(k, "30 100", { enter: "\r" });
    k.resize(120, 40);
    await waitForTerminalSize(k, "40 120", { enter: "\r" });
    k.type("exit 5\r");
    assert.equal(await k.exited, 5);
  });
});
