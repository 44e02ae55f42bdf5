import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WebSocket, WebSocketServer } from "ws";
import type { Pod } from "../api/index.js";
import { Registry } from "../client/prom.js";
import type { ObservedContainer, Runtime } from "./runtime.js";
import { type NodeServer, startNodeServer } from "./server.js";

// A stand-in for the runtime's streaming server: echoes stdin to stdout, ends on stdin's close.
let upstream: WebSocketServer;
let server: NodeServer;
const seenResize: string[] = [];

const pod: Pod = {
  metadata: { name: "p", namespace: "default", uid: "u" },
  spec: { containers: [{ name: "main", image: "busybox" }] },
  status: { containerStatuses: [] },
};
const running = { id: "c1", name: "main", state: "running", logPath: "/nonexistent" } as ObservedContainer;

before(async () => {
  upstream = new WebSocketServer({ port: 0, host: "127.0.0.1", handleProtocols: () => "v5.channel.k8s.io" });
  upstream.on("connection", (ws) => {
    ws.on("message", (d: Buffer) => {
      if (d[0] === 0) ws.send(Buffer.concat([Buffer.from([1]), d.subarray(1)]));
      if (d[0] === 4) seenResize.push(d.subarray(1).toString());
      if (d[0] === 255 && d[1] === 0)
        ws.send(Buffer.from([3, ...Buffer.from('{"metadata":{},"status":"Success"}')]), () => ws.close(1000));
    });
  });
  await new Promise((r) => upstream.once("listening", r));
  const upPort = (upstream.address() as { port: number }).port;
  const runtime = {
    Exec: async () => ({ url: `ws://127.0.0.1:${upPort}/exec/token` }),
    ExecSync: async () => ({ stdout: Buffer.from("out"), stderr: Buffer.from("err"), exitCode: 3 }),
  } as unknown as Runtime;
  server = await startNodeServer(
    {
      findPod: (ns, name) => (ns === "default" && name === "p" ? pod : undefined),
      observe: async () => ({ uid: "u", sandboxes: [], containers: [running] }),
      runtime,
      metrics: new Registry(),
      health: () => ({ ok: true, message: "" }),
      log: () => {},
    },
    "127.0.0.1",
    0,
  );
});
after(async () => {
  await server.close();
  upstream.close();
});

function open(query: string, protocol = "v5.channel.k8s.io") {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/exec/default/p/main?${query}`, [protocol]);
  const frames: Buffer[] = [];
  ws.on("message", (d: Buffer) => frames.push(d));
  const closed = new Promise<number>((r) => ws.on("close", (code) => r(code)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return { ws, frames, closed, opened };
}

describe("exec endpoint (v5.channel.k8s.io)", () => {
  it("a one-shot command: stdout on 1, stderr on 2, then the exit code as a Status on 3 and close 1000", async () => {
    const c = open("command=sh&command=-c&command=x&stdout=true&stderr=true");
    await c.opened;
    assert.equal(c.ws.protocol, "v5.channel.k8s.io");
    assert.equal(await c.closed, 1000);
    assert.deepEqual(
      c.frames.map((f) => [f[0], f.subarray(1).toString()]),
      [
        [1, "out"],
        [2, "err"],
        [
          3,
          JSON.stringify({
            metadata: {},
            status: "Failure",
            message: "command terminated with non-zero exit code: error executing command, exit code 3",
            reason: "NonZeroExitCode",
            details: { causes: [{ reason: "ExitCode", message: "3" }] },
          }),
        ],
      ],
    );
  });

  it("an interactive command is relayed frame for frame to the runtime's streaming URL", async () => {
    const c = open("command=cat&stdin=true&stdout=true&tty=true");
    await c.opened;
    c.ws.send(Buffer.from([4, ...Buffer.from('{"Width":100,"Height":30}')]));
    c.ws.send(Buffer.from([0, ...Buffer.from("hello\n")]));
    c.ws.send(Buffer.from([255, 0]));
    assert.equal(await c.closed, 1000);
    assert.deepEqual(
      c.frames.map((f) => [f[0], f.subarray(1).toString()]),
      [
        [1, "hello\n"],
        [3, '{"metadata":{},"status":"Success"}'],
      ],
    );
    assert.deepEqual(seenResize, ['{"Width":100,"Height":30}']);
  });

  it("refuses other subprotocols and unknown containers before upgrading, with a Status", async () => {
    await assert.rejects(open("command=ls", "v4.channel.k8s.io").opened, /HTTP 400/);
    const res = await fetch(`http://127.0.0.1:${server.port}/containerLogs/default/p/other`);
    assert.equal(res.status, 400);
    assert.equal(
      ((await res.json()) as { message: string }).message,
      "container other is not valid for pod p",
    );
  });
});
