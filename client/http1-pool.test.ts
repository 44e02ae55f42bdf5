import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { TimeoutError } from "./http-transport.js";
import { http1PoolTransport, type ParsedAnswer, ResponseParser } from "./http1-pool.js";

/** Feeds `wire` to a parser in pieces of `step` bytes; returns the answer and whether it may be reused. */
function parse(wire: string, step: number, head = false): { answer?: ParsedAnswer; reusable?: boolean } {
  const out: { answer?: ParsedAnswer; reusable?: boolean } = {};
  const p = new ResponseParser(head, (answer, reusable) => {
    out.answer = answer;
    out.reusable = reusable;
  });
  const bytes = Buffer.from(wire, "latin1");
  for (let i = 0; i < bytes.length; i += step) p.push(bytes.subarray(i, i + step));
  return out;
}

const cases: {
  name: string;
  wire: string;
  head?: boolean;
  status: number;
  body: string;
  reusable: boolean;
}[] = [
  {
    name: "Content-Length",
    wire: 'HTTP/1.1 201 Created\r\nContent-Length: 11\r\nKeep-Alive: timeout=5\r\n\r\n{"ok":true}',
    status: 201,
    body: '{"ok":true}',
    reusable: true,
  },
  {
    name: "chunked, with trailers",
    wire: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n3\r\n"b"\r\n1\r\n}\r\n0\r\nX-T: 1\r\n\r\n',
    status: 200,
    body: '{"a":"b"}',
    reusable: true,
  },
  {
    name: "chunked, no trailers",
    wire: "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\na\r\n0123456789\r\n0\r\n\r\n",
    status: 200,
    body: "0123456789",
    reusable: true,
  },
  {
    name: "an interim 100 Continue first",
    wire: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}",
    status: 404,
    body: "{}",
    reusable: true,
  },
  {
    name: "204 has no body",
    wire: "HTTP/1.1 204 No Content\r\n\r\n",
    status: 204,
    body: "",
    reusable: true,
  },
  {
    name: "HEAD has no body whatever the length says",
    wire: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
    head: true,
    status: 200,
    body: "",
    reusable: true,
  },
  {
    name: "Connection: close",
    wire: "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx",
    status: 500,
    body: "x",
    reusable: false,
  },
];

for (const c of cases) {
  test(`parser: ${c.name}, whole or in pieces of any size`, () => {
    for (const step of [1, 2, 3, 7, 1 << 20]) {
      const { answer, reusable } = parse(c.wire, step, c.head);
      assert.ok(answer, `step ${step}: an answer`);
      assert.equal(answer.status, c.status);
      assert.equal(answer.body.toString("latin1"), c.body, `step ${step}`);
      assert.equal(reusable, c.reusable);
    }
  });
}

test("parser: the server's Keep-Alive timeout is reported", () => {
  const { answer } = parse("HTTP/1.1 200 OK\r\nKeep-Alive: timeout=7\r\nContent-Length: 0\r\n\r\n", 5);
  assert.equal(answer?.keepAliveMs, 7000);
});

test("parser: an answer it cannot frame, a malformed one, or bytes after it are errors", () => {
  assert.throws(() => parse("HTTP/1.1 200 OK\r\n\r\nxyz", 100), /without Content-Length or chunked/);
  assert.throws(() => parse("SSH-2.0-OpenSSH\r\n\r\n", 100), /not an HTTP\/1.1 answer/);
  assert.throws(() => parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy", 100), /bytes after the answer/);
  assert.throws(
    () => parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100),
    /malformed chunk size/,
  );
});

test("parser, pipelined: answers back to back in one buffer are read one after the other", () => {
  const first = 'HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\n{"n":1}';
  const second = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n{"n":2}\r\n0\r\n\r\n';
  const bodies: string[] = [];
  const a = new ResponseParser(false, (answer) => bodies.push(answer.body.toString()));
  const rest = a.pushSome(Buffer.from(first + second.slice(0, 20), "latin1"));
  assert.deepEqual(bodies, ['{"n":1}']);
  assert.equal(rest.toString("latin1"), second.slice(0, 20), "what follows the first answer is handed back");
  const b = new ResponseParser(false, (answer) => bodies.push(answer.body.toString()));
  assert.equal(b.pushSome(rest).length, 0, "an incomplete answer keeps its bytes");
  assert.equal(b.pushSome(Buffer.from(second.slice(20), "latin1")).length, 0);
  assert.deepEqual(bodies, ['{"n":1}', '{"n":2}']);
});

async function withServer(
  handler: Parameters<typeof createServer>[1],
  fn: (base: string, server: Server) => Promise<void>,
): Promise<void> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, server);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

test("calls reuse one keep-alive connection, and a connection the server closed is not reused", async () => {
  const ports = new Set<number>();
  await withServer(
    (req, res) => {
      ports.add(req.socket.remotePort!);
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        const answer = JSON.stringify({
          method: req.method,
          url: req.url,
          body,
          ua: req.headers["user-agent"],
        });
        res.writeHead(200, { "content-type": "application/json" }).end(answer);
      });
    },
    async (base, server) => {
      for (let i = 0; i < 5; i++) {
        const res = await http1PoolTransport({
          method: "POST",
          url: `${base}/api/v1/pods?x=${i}`,
          headers: { "user-agent": "t" },
          body: `{"i":${i}}`,
        });
        assert.equal(res.status, 200);
        assert.deepEqual(JSON.parse(await res.text()), {
          method: "POST",
          url: `/api/v1/pods?x=${i}`,
          body: `{"i":${i}}`,
          ua: "t",
        });
      }
      assert.equal(ports.size, 1, "one connection for calls one after another");
      // The server drops its idle connections: the next call dials a new one and succeeds.
      server.closeIdleConnections();
      await new Promise((r) => setTimeout(r, 50));
      const res = await http1PoolTransport({ method: "GET", url: `${base}/again`, headers: {} });
      assert.equal(res.status, 200);
      assert.equal(ports.size, 2);
    },
  );
});

test("a deadline fails the call with TimeoutError; an abort with the signal's reason", async () => {
  await withServer(
    () => {
      /* never answers */
    },
    async (base) => {
      const timedOut = await http1PoolTransport({
        method: "GET",
        url: `${base}/slow`,
        headers: {},
        timeoutMs: 50,
      }).catch((e) => e);
      assert.ok(timedOut instanceof TimeoutError);
      const abort = new AbortController();
      setTimeout(() => abort.abort(new Error("stop")), 20);
      const aborted = await http1PoolTransport({
        method: "GET",
        url: `${base}/slow`,
        headers: {},
        signal: abort.signal,
      }).catch((e) => e);
      assert.equal(aborted.message, "stop");
    },
  );
});

test("a refused connection fails the call; a header with a line break is refused before sending", async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  const refused = await http1PoolTransport({
    method: "GET",
    url: `http://127.0.0.1:${port}/`,
    headers: {},
  }).catch((e) => e);
  assert.match(refused.message, /ECONNREFUSED/);
  await assert.rejects(
    http1PoolTransport({ method: "GET", url: `http://127.0.0.1:${port}/`, headers: { a: "b\r\nc: d" } }),
    /invalid header/,
  );
});
