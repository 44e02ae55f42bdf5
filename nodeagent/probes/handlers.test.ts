import assert from "node:assert/strict";
import { createServer as createHttp, type Server } from "node:http";
import { createServer as createTcp } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Runtime } from "../runtime.js";
import { type HandlerTarget, runHandler } from "./handlers.js";

let http: Server;
let httpPort = 0;
let closedPort = 0;

before(async () => {
  http = createHttp((req, res) => {
    if (req.url === "/healthz") res.writeHead(200).end("ok");
    else if (req.url === "/slow") setTimeout(() => res.writeHead(200).end(), 2000).unref();
    else res.writeHead(500).end("boom");
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  httpPort = (http.address() as { port: number }).port;
  const tmp = createTcp();
  await new Promise<void>((r) => tmp.listen(0, "127.0.0.1", r));
  closedPort = (tmp.address() as { port: number }).port;
  await new Promise((r) => tmp.close(r));
});
after(() => {
  http.closeAllConnections();
  http.close();
});

function target(exitCode = 0, stdout = ""): HandlerTarget {
  const runtime = {
    ExecSync: async () => ({ stdout: new TextEncoder().encode(stdout), stderr: new Uint8Array(), exitCode }),
  } as unknown as Runtime;
  return {
    runtime,
    containerId: "c1",
    ip: "127.0.0.1",
    container: { name: "main", ports: [{ name: "web", containerPort: httpPort }] },
  };
}

describe("probe handlers", () => {
  it("httpGet: 2xx is success, 500 is a failure with the status code, a named port resolves", async () => {
    assert.deepEqual(await runHandler({ httpGet: { path: "/healthz", port: "web" } }, target(), 5000), {
      ok: true,
      output: "ok",
    });
    const bad = await runHandler({ httpGet: { path: "/other", port: httpPort } }, target(), 5000);
    assert.deepEqual(bad, { ok: false, output: "HTTP probe failed with statuscode: 500" });
  });

  it("httpGet: a slow answer fails on the timeout", async () => {
    const r = await runHandler({ httpGet: { path: "/slow", port: httpPort } }, target(), 200);
    assert.equal(r.ok, false);
    assert.match(r.output, /timeout/);
  });

  it("tcpSocket: a listening port succeeds, a closed one fails with the dial error", async () => {
    assert.equal((await runHandler({ tcpSocket: { port: httpPort } }, target(), 5000)).ok, true);
    const r = await runHandler({ tcpSocket: { port: closedPort } }, target(), 5000);
    assert.equal(r.ok, false);
    assert.match(r.output, new RegExp(`dial tcp 127.0.0.1:${closedPort}: .*ECONNREFUSED`));
  });

  it("exec: exit 0 succeeds, non-zero fails with the output", async () => {
    assert.equal((await runHandler({ exec: { command: ["true"] } }, target(0), 5000)).ok, true);
    assert.deepEqual(await runHandler({ exec: { command: ["false"] } }, target(1, "not ready\n"), 5000), {
      ok: false,
      output: "not ready",
    });
  });
});
