// The HTTP/2 client connection under gRPC unary calls, against a scripted server socket: what the
// client sends (preface, SETTINGS, flow control) and how calls end when the server splits
// replies, limits streams, resets them or goes away.

import assert from "node:assert/strict";
import { createServer as createH2Server } from "node:http2";
import { createServer, type Server, type Socket } from "node:net";
import { after, afterEach, before, test } from "node:test";
import { waitFor } from "../../testing/index.js";
import { DEADLINE_EXCEEDED, frame, type GrpcError, GrpcUnaryClient, UNAVAILABLE } from "./grpc-unary.js";
import { STREAM_WINDOW } from "./h2-connection.js";
import {
  CONTINUATION,
  DATA,
  END_HEADERS,
  END_STREAM,
  FRAME_HEADER,
  goawayFrame,
  HEADERS,
  frame as h2frame,
  PADDED,
  PING,
  PREFACE,
  rstStreamFrame,
  SETTINGS,
  SETTINGS_ENABLE_PUSH,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SETTINGS_MAX_CONCURRENT_STREAMS,
  settingsFrame,
  WINDOW_UPDATE,
  windowUpdateFrame,
} from "./h2-frames.js";
import { encodeHeaders } from "./hpack.js";
import { huffmanEncode } from "./hpack-huffman.js";

interface Frame {
  type: number;
  flags: number;
  id: number;
  payload: Buffer;
}

/** The server side of one connection: every frame the client sent, in order. */
class Peer {
  readonly frames: Frame[] = [];
  closed = false;
  private buf = Buffer.alloc(0);
  private prefaceSeen = false;
  private pings = 0;

  constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      if (!this.prefaceSeen) {
        if (this.buf.length < PREFACE.length) return;
        assert.deepEqual(this.buf.subarray(0, PREFACE.length), PREFACE);
        this.buf = this.buf.subarray(PREFACE.length);
        this.prefaceSeen = true;
      }
      while (this.buf.length >= FRAME_HEADER) {
        const len = this.buf.readUIntBE(0, 3);
        if (this.buf.length < FRAME_HEADER + len) break;
        this.frames.push({
          type: this.buf[3]!,
          flags: this.buf[4]!,
          id: this.buf.readUInt32BE(5),
          payload: this.buf.subarray(FRAME_HEADER, FRAME_HEADER + len),
        });
        this.buf = this.buf.subarray(FRAME_HEADER + len);
      }
    });
    socket.on("close", () => {
      this.closed = true;
    });
    socket.on("error", () => {});
  }

  send(...frames: Buffer[]): void {
    this.socket.write(Buffer.concat(frames));
  }

  /**
   * Sends a PING and waits for its ACK. The client answers frames in the order they came and writes
   * in order, so whatever it sent in response to earlier frames has arrived by then: a check that
   * it did not send something is only meaningful after this.
   */
  async caughtUp(): Promise<void> {
    const data = Buffer.alloc(8);
    data.writeUInt32BE(++this.pings);
    this.send(h2frame(PING, 0, 0, data));
    await waitFor(() => this.frames.some((f) => f.type === PING && f.flags & 1 && f.payload.equals(data)), {
      what: "PING ACK",
    });
  }

  /** Waits for the `n`th (from 1) request HEADERS; returns its stream id. */
  request(n: number): Promise<number> {
    return waitFor(() => this.frames.filter((f) => f.type === HEADERS)[n - 1]?.id, { what: `request ${n}` });
  }

  /** The DATA the client sent on a stream, joined; once it ended the stream. */
  body(id: number): Promise<Buffer> {
    return waitFor(
      () => {
        const data = this.frames.filter((f) => f.type === DATA && f.id === id);
        return data.some((f) => f.flags & END_STREAM) && Buffer.concat(data.map((f) => f.payload));
      },
      { what: `the body of stream ${id}` },
    );
  }
}

let server: Server;
let port = 0;
let peers: Peer[] = [];
let client: GrpcUnaryClient;

before(async () => {
  server = createServer((socket) => peers.push(new Peer(socket)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});
after(() => server.close());
afterEach(() => {
  client?.close();
  for (const p of peers) p.socket.destroy();
  peers = [];
});

const connected = () => waitFor(() => peers[peers.length - 1], { what: "a connection" });
/** A client, its first call (in flight), the server's side of its connection and the call's stream id. */
async function firstCall(message: Buffer, timeoutMs = 5000) {
  client = new GrpcUnaryClient(`http://127.0.0.1:${port}`);
  const call = client.call("/svc/M", message, timeoutMs);
  const peer = await connected();
  return { call, peer, id: await peer.request(1) };
}
const headersFrame = (id: number, fields: Array<[string, string]>, end: boolean) => {
  const block = encodeHeaders(fields);
  return h2frame(HEADERS, END_HEADERS | (end ? END_STREAM : 0), id, block);
};
const OK_HEADERS: Array<[string, string]> = [
  [":status", "200"],
  ["content-type", "application/grpc"],
];
const OK_TRAILERS: Array<[string, string]> = [["grpc-status", "0"]];

/** A whole gRPC reply on stream `id`: headers, the message as one DATA frame, OK trailers. */
const reply = (id: number, message: Buffer) => [
  headersFrame(id, OK_HEADERS, false),
  h2frame(DATA, 0, id, frame(message)),
  headersFrame(id, OK_TRAILERS, true),
];

test("the client's side: preface, SETTINGS without push and with a large window, SETTINGS and PING acknowledged", async () => {
  const { call, peer, id } = await firstCall(Buffer.from("hi"));
  const settings = peer.frames[0]!;
  assert.equal(settings.type, SETTINGS);
  const values = new Map<number, number>();
  for (let at = 0; at < settings.payload.length; at += 6) {
    values.set(settings.payload.readUInt16BE(at), settings.payload.readUInt32BE(at + 2));
  }
  assert.equal(values.get(SETTINGS_ENABLE_PUSH), 0);
  assert.equal(values.get(SETTINGS_INITIAL_WINDOW_SIZE), STREAM_WINDOW);
  assert.ok(peer.frames.some((f) => f.type === WINDOW_UPDATE && f.id === 0));
  assert.deepEqual(await peer.body(id), frame(Buffer.from("hi")));

  peer.send(settingsFrame([]), h2frame(PING, 0, 0, Buffer.from("12345678")));
  await waitFor(() => peer.frames.some((f) => f.type === SETTINGS && f.flags === 1), {
    what: "SETTINGS ACK",
  });
  const pong = await waitFor(() => peer.frames.find((f) => f.type === PING), { what: "PING ACK" });
  assert.equal(pong.flags, 1);
  assert.equal(pong.payload.toString(), "12345678");
  peer.send(...reply(id, Buffer.from("there")));
  assert.equal((await call).toString(), "there");
});

test("a reply split across CONTINUATION and padded DATA frames, with Huffman and indexed trailers", async () => {
  const { call: first, peer, id } = await firstCall(Buffer.from("a"));
  peer.send(settingsFrame([]));
  const block = encodeHeaders(OK_HEADERS);
  const message = frame(Buffer.from("a reply cut into pieces"));
  const padded = (flags: number, payload: Buffer) =>
    h2frame(DATA, flags | PADDED, id, Buffer.concat([Buffer.of(3), payload, Buffer.alloc(3)]));
  // Trailers as a literal with incremental indexing, name and value Huffman-coded: the next
  // reply can name the same field by its dynamic index (62).
  const huff = (s: string) => {
    const h = huffmanEncode(s);
    return Buffer.concat([Buffer.of(0x80 | h.length), h]);
  };
  const trailers = Buffer.concat([Buffer.of(0x40), huff("grpc-status"), huff("0")]);
  peer.send(
    h2frame(HEADERS, 0, id, block.subarray(0, 2)),
    h2frame(CONTINUATION, 0, id, block.subarray(2, 4)),
    h2frame(CONTINUATION, END_HEADERS, id, block.subarray(4)),
    padded(0, message.subarray(0, 3)),
    h2frame(DATA, 0, id, message.subarray(3, 10)),
    padded(0, message.subarray(10)),
    h2frame(HEADERS, END_HEADERS | END_STREAM, id, trailers),
  );
  assert.equal((await first).toString(), "a reply cut into pieces");

  const second = client.call("/svc/M", Buffer.from("b"), 5000);
  const id2 = await peer.request(2);
  peer.send(
    headersFrame(id2, OK_HEADERS, false),
    h2frame(DATA, 0, id2, frame(Buffer.from("again"))),
    h2frame(HEADERS, END_HEADERS | END_STREAM, id2, Buffer.of(0x80 | 62)),
  );
  assert.equal((await second).toString(), "again");
});

test("a trailers-only error keeps its code and percent-decoded message", async () => {
  const { call, peer, id } = await firstCall(Buffer.from("x"));
  peer.send(
    headersFrame(
      id,
      [...OK_HEADERS, ["grpc-status", "3"], ["grpc-message", "etcdserver: key is not provided %E2%9C%93"]],
      true,
    ),
  );
  await assert.rejects(
    call,
    (e: GrpcError) => e.code === 3 && e.details === "etcdserver: key is not provided ✓",
  );
});

test("RST_STREAM fails the call as UNAVAILABLE; the connection serves the next call", async () => {
  const { call, peer, id } = await firstCall(Buffer.from("x"));
  peer.send(rstStreamFrame(id, 2));
  await assert.rejects(call, (e: GrpcError) => e.code === UNAVAILABLE && /reset/.test(e.details));
  const next = client.call("/svc/M", Buffer.from("y"), 5000);
  const id2 = await peer.request(2);
  peer.send(...reply(id2, Buffer.from("ok")));
  assert.equal((await next).toString(), "ok");
  assert.equal(peers.length, 1);
});

test("GOAWAY: a stream above last-stream-id fails UNAVAILABLE, one below finishes, new calls dial again", async () => {
  client = new GrpcUnaryClient(`http://127.0.0.1:${port}`);
  const a = client.call("/svc/M", Buffer.from("a"), 5000);
  const b = client.call("/svc/M", Buffer.from("b"), 5000);
  const peer = await connected();
  const idA = await peer.request(1);
  const idB = await peer.request(2);
  assert.ok(idA < idB);
  peer.send(goawayFrame(idA, 0));
  await assert.rejects(b, (e: GrpcError) => e.code === UNAVAILABLE && /GOAWAY/.test(e.details));
  const c = client.call("/svc/M", Buffer.from("c"), 5000);
  const fresh = await waitFor(() => peers[1], { what: "a second connection" });
  const idC = await fresh.request(1);
  fresh.send(...reply(idC, Buffer.from("C")));
  peer.send(...reply(idA, Buffer.from("A")));
  assert.equal((await a).toString(), "A");
  assert.equal((await c).toString(), "C");
  // The old connection closes once its last stream is done.
  await waitFor(() => peer.closed, { what: "the old connection to close" });
});

test("MAX_CONCURRENT_STREAMS: calls beyond it wait for a stream to finish", async () => {
  client = new GrpcUnaryClient(`http://127.0.0.1:${port}`);
  const first = client.call("/svc/M", Buffer.from("0"), 5000);
  const peer = await connected();
  peer.send(settingsFrame([[SETTINGS_MAX_CONCURRENT_STREAMS, 1]]));
  await waitFor(() => peer.frames.some((f) => f.type === SETTINGS && f.flags === 1), {
    what: "SETTINGS ACK",
  });
  const rest = [1, 2].map((i) => client.call("/svc/M", Buffer.from(String(i)), 5000));
  const ids: number[] = [await peer.request(1)];
  for (let n = 2; n <= 3; n++) {
    // Only one stream open: the next request comes only after the reply to the last.
    await peer.caughtUp();
    assert.equal(peer.frames.filter((f) => f.type === HEADERS).length, n - 1);
    peer.send(...reply(ids[n - 2]!, Buffer.from(`r${n - 1}`)));
    ids.push(await peer.request(n));
  }
  peer.send(...reply(ids[2]!, Buffer.from("r3")));
  assert.deepEqual((await Promise.all([first, ...rest])).map(String), ["r1", "r2", "r3"]);
});

test("a deadline while another reply is still arriving keeps the connection", async () => {
  const { call: a, peer, id: idA } = await firstCall(Buffer.from("a"));
  const big = frame(Buffer.alloc(30_000, 1));
  peer.send(headersFrame(idA, OK_HEADERS, false), h2frame(DATA, 0, idA, big.subarray(0, 10_000)));
  await peer.caughtUp();
  const b = client.call("/svc/M", Buffer.from("b"), 300);
  await peer.request(2);
  // Only DATA of the first reply comes while the second call waits: the server is alive.
  const trickle = setInterval(() => peer.send(h2frame(DATA, 0, idA, Buffer.alloc(0))), 50);
  try {
    await assert.rejects(b, (e: GrpcError) => e.code === DEADLINE_EXCEEDED);
  } finally {
    clearInterval(trickle);
  }
  peer.send(h2frame(DATA, 0, idA, big.subarray(10_000)), headersFrame(idA, OK_TRAILERS, true));
  assert.equal((await a).length, 30_000);
  assert.equal(peer.closed, false);
});

test("a large body is sent within the server's windows and frame size", async () => {
  const big = Buffer.alloc(100_000, 7);
  const { call, peer, id } = await firstCall(big);
  // The default window is 65,535 octets: the client stops there until the server makes room.
  const sent = () =>
    peer.frames.filter((f) => f.type === DATA && f.id === id).reduce((n, f) => n + f.payload.length, 0);
  await waitFor(() => sent() === 65_535, { what: "the first window's worth" });
  await peer.caughtUp();
  assert.equal(sent(), 65_535);
  peer.send(windowUpdateFrame(0, 50_000));
  await peer.caughtUp();
  assert.equal(sent(), 65_535, "the stream's own window is still closed");
  peer.send(windowUpdateFrame(id, 50_000));
  const body = await peer.body(id);
  assert.deepEqual(body, frame(big));
  for (const f of peer.frames) if (f.type === DATA) assert.ok(f.payload.length <= 16_384);
  peer.send(...reply(id, Buffer.from("got it")));
  assert.equal((await call).toString(), "got it");
});

test("a deadline with no answer is DEADLINE_EXCEEDED, and the silent connection is dropped", async () => {
  const { call, peer } = await firstCall(Buffer.from("x"), 300);
  await assert.rejects(call, (e: GrpcError) => e.code === DEADLINE_EXCEEDED);
  await waitFor(() => peer.closed, { what: "the connection to be dropped" });
  const next = client.call("/svc/M", Buffer.from("y"), 5000);
  const fresh = await waitFor(() => peers[1], { what: "a second connection" });
  fresh.send(...reply(await fresh.request(1), Buffer.from("ok")));
  assert.equal((await next).toString(), "ok");
});

test("a reset connection and a closed port are UNAVAILABLE", async () => {
  const { call, peer } = await firstCall(Buffer.from("x"));
  peer.socket.resetAndDestroy();
  await assert.rejects(call, (e: GrpcError) => e.code === UNAVAILABLE);

  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise((r) => closed.close(r));
  const nowhere = new GrpcUnaryClient(`http://127.0.0.1:${closedPort}`);
  try {
    await assert.rejects(nowhere.call("/svc/M", Buffer.from("x"), 5000), (e: GrpcError) => {
      assert.equal(e.code, UNAVAILABLE);
      assert.match(e.details, /ECONNREFUSED/);
      return true;
    });
  } finally {
    nowhere.close();
  }
});

test("against node:http2's server: nghttp2's HPACK (dynamic table, eviction, Huffman), many calls, large bodies", async () => {
  // Each reply carries fields that differ per call, so the encoder keeps adding to and evicting
  // from its dynamic table while calls overlap.
  const h2 = createH2Server();
  h2.on("stream", (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const body = Buffer.concat(chunks);
      stream.respond(
        {
          ":status": 200,
          "content-type": "application/grpc",
          "x-call": `${headers[":path"]}-${body.length}`,
        },
        { waitForTrailers: true },
      );
      stream.on("wantTrailers", () =>
        stream.sendTrailers({ "grpc-status": "0", "x-echo": `${body.length}`.repeat(20) }),
      );
      stream.end(body);
    });
  });
  await new Promise<void>((resolve) => h2.listen(0, "127.0.0.1", resolve));
  client = new GrpcUnaryClient(`http://127.0.0.1:${(h2.address() as { port: number }).port}`);
  try {
    const messages = Array.from({ length: 300 }, (_, i) => Buffer.alloc(i % 50 === 0 ? 200_000 + i : i, i));
    const replies = await Promise.all(messages.map((m, i) => client.call(`/svc/M${i % 7}`, m, 10_000)));
    for (const [i, r] of replies.entries()) assert.ok(r.equals(messages[i]!), `reply ${i}`);
  } finally {
    client.close();
    h2.close();
  }
});

test("when a connection's stream ids run out, new calls go to a new connection and the old one closes", async () => {
  const { call, peer, id } = await firstCall(Buffer.from("a"));
  peer.send(...reply(id, Buffer.from("A")));
  await call;
  // Skip ahead to the last stream id (2^31 - 1) rather than make a billion calls.
  (client as unknown as { conn: { nextId: number } }).conn.nextId = 2 ** 31 - 1;
  const last = client.call("/svc/M", Buffer.from("b"), 5000);
  const lastId = await peer.request(2);
  assert.equal(lastId, 2 ** 31 - 1);
  const next = client.call("/svc/M", Buffer.from("c"), 5000);
  const fresh = await waitFor(() => peers[1], { what: "a second connection" });
  fresh.send(...reply(await fresh.request(1), Buffer.from("C")));
  assert.equal((await next).toString(), "C");
  peer.send(...reply(lastId, Buffer.from("B")));
  assert.equal((await last).toString(), "B");
  await waitFor(() => peer.closed, { what: "the spent connection to close" });
});

test("calls still waiting for a stream when the ids run out fail UNAVAILABLE, never sent", async () => {
  const { call, peer, id } = await firstCall(Buffer.from("a"));
  peer.send(settingsFrame([[SETTINGS_MAX_CONCURRENT_STREAMS, 1]]));
  await waitFor(() => peer.frames.some((f) => f.type === SETTINGS && f.flags === 1), {
    what: "SETTINGS ACK",
  });
  (client as unknown as { conn: { nextId: number } }).conn.nextId = 2 ** 31 - 1;
  // Both wait behind the open stream; when it ends, the first takes the last id, the second none.
  const last = client.call("/svc/M", Buffer.from("b"), 5000);
  const stranded = client.call("/svc/M", Buffer.from("c"), 5000);
  peer.send(...reply(id, Buffer.from("A")));
  assert.equal((await call).toString(), "A");
  await assert.rejects(stranded, (e: GrpcError) => e.code === UNAVAILABLE && /stream ids/.test(e.details));
  const lastId = await peer.request(2);
  assert.equal(lastId, 2 ** 31 - 1);
  await peer.caughtUp();
  assert.equal(peer.frames.filter((f) => f.type === HEADERS).length, 2, "the stranded call was never sent");
  peer.send(...reply(lastId, Buffer.from("B")));
  assert.equal((await last).toString(), "B");
});
