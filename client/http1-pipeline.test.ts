import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { http1PipelineTransport } from "./http1-pipeline.js";
import { RestClient } from "./rest.js";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A node:http server (it answers pipelined requests in order); counts the connections it accepted. */
async function withServer(handler: Handler, fn: (base: string, connections: () => number) => Promise<void>) {
  let connections = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      body += c;
    });
    req.on("end", () => handler(req, res, body));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, () => connections);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const echo: Handler = (_req, res, body) => {
  res.writeHead(201, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
};

function post(base: string, n: number, timeoutMs?: number) {
  return http1PipelineTransport({
    method: "POST",
    url: `${base}/things`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ n }),
    timeoutMs,
  });
}

test("POSTs made together share one connection up to its depth, and each gets its own answer", async () => {
  await withServer(echo, async (base, connections) => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => post(base, n)));
    assert.deepEqual(
      await Promise.all(answers.map(async (a) => JSON.parse(await a.text()).n)),
      Array.from({ length: 10 }, (_, n) => n),
    );
    assert.equal(connections(), 1, "ten requests in one turn, one connection");
    // Sixteen answers awaited on one connection at most: the 17th opens another.
    await Promise.all(Array.from({ length: 20 }, (_, n) => post(base, n)));
    assert.equal(connections(), 2);
  });
});

test("answers that the server finishes out of order still reach the right callers", async () => {
  await withServer(
    (req, res, body) => {
      // The first request is slow; the server holds the later answers back until it is done.
      if (JSON.parse(body).n === 0) setTimeout(() => echo(req, res, body), 100);
      else echo(req, res, body);
    },
    async (base) => {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => post(base, n)));
      for (const [n, a] of answers.entries()) assert.equal(JSON.parse(await a.text()).n, n);
    },
  );
});

test("a connection that breaks fails every POST waiting on it; the next POST gets a new connection", async () => {
  await withServer(
    (req, res, body) => {
      if (JSON.parse(body).n === 3) req.socket.destroy();
      else echo(req, res, body);
    },
    async (base, connections) => {
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, n) => post(base, n)));
      assert.equal(results[3]!.status, "rejected", "the request the server dropped fails");
      for (const r of results.slice(4)) assert.equal(r.status, "rejected", "so do those behind it");
      const after = await post(base, 10);
      assert.equal(JSON.parse(await after.text()).n, 10);
      assert.equal(connections(), 2);
    },
  );
});

test("a deadline fails the POSTs waiting on that connection with TimeoutError, not later ones", async () => {
  await withServer(
    (req, res, body) => {
      if (JSON.parse(body).n !== 0) echo(req, res, body); // request 0 is never answered
    },
    async (base) => {
      const results = await Promise.allSettled([post(base, 0, 200), post(base, 1, 5000)]);
      for (const r of results) {
        assert.equal(r.status, "rejected");
        assert.equal((r as PromiseRejectedResult).reason.name, "TimeoutError");
      }
      assert.equal(JSON.parse(await (await post(base, 2, 5000)).text()).n, 2);
    },
  );
});

test("RestClient with pipelinePosts: creates share a connection, other calls take the pool", async () => {
  await withServer(
    (req, res, body) => {
      if (req.method === "POST") return echo(req, res, body);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "ConfigMap", apiVersion: "v1", metadata: { name: "x" } }));
    },
    async (base, connections) => {
      const client = new RestClient({ server: base, pipelinePosts: true });
      const cms = { group: "", version: "v1", plural: "configmaps", namespaced: true } as const;
      const made = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          client.create(cms, {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: `c${i}`, namespace: "d" },
          }),
        ),
      );
      assert.deepEqual(
        made.map((m) => m.metadata.name),
        ["c0", "c1", "c2", "c3", "c4"],
      );
      assert.equal(connections(), 1);
      await client.get(cms, "x", { namespace: "d" });
      assert.equal(connections(), 2, "a GET does not join the pipeline");
    },
  );
});
