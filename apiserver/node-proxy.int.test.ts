// The API server's relay of pods/exec upgrades to the pod's node agent (handlers/node-proxy.ts),
// against a real etcd: what the client gets, and that the request metric counts the real outcome
// (101 only when the node agent upgraded). The node agent here is a small websocket stand-in that
// ends every command with Success; the real chain is in nodeagent/exec-tty.int.test.ts.

import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { WebSocketServer } from "ws";
import { startTestApiServer, type TestCluster } from "../testing/apiserver.js";
import { freePort, nodeObjectAt, openExecStream, waitFor } from "../testing/index.js";

let c: TestCluster;
let agent: WebSocketServer;

async function create(path: string, body: object): Promise<void> {
  const res = await fetch(`${c.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, await res.text());
}

function pod(name: string, nodeName: string) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { nodeName, containers: [{ name: "main", image: "busybox" }] },
  };
}

/** Waits (the count is taken as the relay settles) until connects with `code` reach `n`. */
async function counted(code: string, n: number): Promise<void> {
  await waitFor(async () => (await connectCount(code)) === n, {
    timeoutMs: 5000,
    what: `${n} pods/exec connects counted with code ${code}`,
  });
}

async function connectCount(code: string): Promise<number> {
  const text = await (await fetch(`${c.url}/metrics`)).text();
  const line = text
    .split("\n")
    .find(
      (l) =>
        l.startsWith("apiserver_request_total{") &&
        l.includes('verb="connect"') &&
        l.includes('resource="pods/exec"') &&
        l.includes(`code="${code}"`),
    );
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

const execPath = (podName: string) =>
  `/api/v1/namespaces/default/pods/${podName}/exec?command=true&stdout=true&stdin=true&tty=true`;

before(async () => {
  c = await startTestApiServer();
  agent = new WebSocketServer({ port: 0, host: "127.0.0.1", handleProtocols: () => "v5.channel.k8s.io" });
  agent.on("connection", (ws) =>
    ws.send(Buffer.from([3, ...Buffer.from('{"metadata":{},"status":"Success"}')]), () => ws.close(1000)),
  );
  await new Promise((r) => agent.once("listening", r));
  await create("/api/v1/nodes", nodeObjectAt("up", (agent.address() as AddressInfo).port));
  // A node whose agent endpoint answers nothing: a free port nobody listens on.
  await create("/api/v1/nodes", nodeObjectAt("down", await freePort()));
  await create("/api/v1/namespaces/default/pods", pod("on-up", "up"));
  await create("/api/v1/namespaces/default/pods", pod("on-down", "down"));
});

after(async () => {
  agent?.close();
  await c?.stop();
});

describe("pods/exec upgrades relayed to the node agent", () => {
  test("an upgrade the node agent accepts is counted as 101", async () => {
    const before101 = await connectCount("101");
    const s = await openExecStream(`${c.url}${execPath("on-up")}`);
    assert.equal((await s.closed).status?.status, "Success");
    await counted("101", before101 + 1);
  });

  test("an unreachable node agent is a 503 Status, and counted as 503, not 101", async () => {
    const before101 = await connectCount("101");
    const before503 = await connectCount("503");
    await assert.rejects(openExecStream(`${c.url}${execPath("on-down")}`), /HTTP 503: .*did not answer/);
    await counted("503", before503 + 1);
    assert.equal(await connectCount("101"), before101);
  });

  test("a pod that does not exist is a 404, counted as 404", async () => {
    const before404 = await connectCount("404");
    await assert.rejects(openExecStream(`${c.url}${execPath("missing")}`), /HTTP 404/);
    await counted("404", before404 + 1);
  });
});
