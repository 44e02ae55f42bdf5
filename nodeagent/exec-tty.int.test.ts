// Interactive exec with a TTY through the whole chain, as kubectl drives it: a websocket
// (v5.channel.k8s.io) to the API server's pods/exec, relayed to the node agent, relayed to the
// runtime-shim's streaming URL, where `runc exec -t` runs a shell on a terminal in the container.
// Real etcd, API server, node agent and runc runtime-shim (testing/nodeagent.ts).

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Pod } from "../api/index.js";
import { RESOURCES } from "../api/index.js";
import type { TestCluster } from "../testing/apiserver.js";
import {
  openExecStream,
  startTestClusterWithNode,
  type TestNode,
  waitFor,
  waitForTerminalSize,
} from "../testing/index.js";

const PODS = RESOURCES.find((r) => r.kind === "Pod")!;

let cluster: TestCluster;
let node: TestNode;
let stopAll: (() => Promise<void>) | undefined;

before(async () => {
  ({ cluster, node, stop: stopAll } = await startTestClusterWithNode({ nodeName: "tty-node" }));
  try {
    await node.client.create(PODS, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "shell", namespace: "default" },
      spec: {
        nodeName: node.nodeName,
        terminationGracePeriodSeconds: 1,
        containers: [{ name: "main", image: "busybox", command: ["sleep", "3600"] }],
      },
    } as Pod);
    await waitFor(
      async () => {
        const p = await node.client.get<Pod>(PODS, "shell", { namespace: "default" });
        return p.status?.phase === "Running";
      },
      { timeoutMs: 30_000, what: "pod shell to be Running" },
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
});

after(async () => {
  await stopAll?.();
});

function execUrl(params: Record<string, string>, command: string[]): string {
  const q = new URLSearchParams(params);
  for (const c of command) q.append("command", c);
  return `${cluster.url}/api/v1/namespaces/default/pods/shell/exec?${q}`;
}

describe("exec -it through the API server and the node agent", () => {
  it("a shell on a terminal: typed commands, resizes, and the exit code in the final Status", async () => {
    // stderr=true as well: with a TTY the node agent drops it, as the kubelet does.
    const term = await openExecStream(
      execUrl({ container: "main", stdin: "true", stdout: "true", stderr: "true", tty: "true" }, ["sh"]),
    );
    try {
      assert.equal(term.protocol, "v5.channel.k8s.io");
      term.resize(90, 20);
      term.type("test -t 1 && echo stdout-on-a-$TERM-terminal\n");
      await term.waitOutput(/stdout-on-a-xterm-terminal\r$/m, "the shell to see its terminal");
      await waitForTerminalSize(term, "20 90");
      term.resize(150, 50);
      await waitForTerminalSize(term, "50 150");
      term.type("echo hi-from-$((3 + 4)); exit 7\n");
      const { code, status } = await term.closed;
      assert.match(term.output(), /hi-from-7\r$/m);
      assert.equal(term.output(2), "");
      assert.equal(code, 1000);
      assert.equal(status?.status, "Failure");
      assert.equal(status?.reason, "NonZeroExitCode");
      assert.deepEqual(status?.details?.causes, [{ reason: "ExitCode", message: "7" }]);
    } finally {
      term.terminate();
    }
  });

  it("exit 0 is Success; a client that goes away hangs the shell up", async () => {
    const ok = await openExecStream(execUrl({ stdin: "true", stdout: "true", tty: "true" }, ["sh"]));
    ok.type("exit\n");
    assert.deepEqual((await ok.closed).status, { metadata: {}, status: "Success" });

    const gone = await openExecStream(
      execUrl({ stdin: "true", stdout: "true", tty: "true" }, ["sh", "-c", "echo pid $$; sleep 1000"]),
    );
    const pid = (await gone.waitOutput(/^pid (\d+)\r$/m, "the command to start"))[1]!;
    gone.terminate();
    const podStatus = await node.client.get<Pod>(PODS, "shell", { namespace: "default" });
    const containerId = podStatus.status!.containerStatuses![0]!.containerID!.replace(/^k8ts:\/\//, "");
    await waitFor(
      async () =>
        (await node.shim.runtime.ExecSync({ containerId, cmd: ["kill", "-0", pid] })).exitCode !== 0,
      { timeoutMs: 10_000, what: `the hung-up shell (pid ${pid}) to end` },
    );
  });
});
