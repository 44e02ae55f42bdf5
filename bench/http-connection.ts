// A lean HTTP/1.1 keep-alive connection for load generators: one request in flight, the answer's
// status and body. node:http's client costs the benchmark process about 0.16 ms of CPU per
// request, this about half; on a 2-core machine the load generator shares the cores with what it
// measures, so its own cost is kept small (as the raw etcd baseline uses the leanest client).
// Answers must carry Content-Length or be chunked; anything else is an error, not a guess.

import { connect, type Socket } from "node:net";

export interface HttpAnswer {
  status: number;
  body: Buffer;
}

export class HttpConnection {
  private readonly socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private pending?: { resolve(a: HttpAnswer): void; reject(e: Error): void };
  private failure?: Error;

  constructor(
    private readonly host: string,
    port: number,
  ) {
    this.socket = connect(port, host);
    this.socket.setNoDelay(true);
    const fail = (err: Error) => {
      this.failure ??= err;
      this.pending?.reject(err);
      this.pending = undefined;
    };
    this.socket.on("data", (d: Buffer) => {
      try {
        this.onData(d);
      } catch (err) {
        fail(err as Error);
        this.socket.destroy();
      }
    });
    this.socket.on("error", fail);
    this.socket.on("close", () => fail(new Error("connection closed by the server")));
  }

  request(method: string, path: string, body: string, contentType = "application/json"): Promise<HttpAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error("one request at a time on an HttpConnection"));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: ${contentType}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const answer = this.takeAnswer();
      if (!answer) return;
      const p = this.pending;
      this.pending = undefined;
      p?.resolve(answer);
    }
  }

  /** One whole answer off the front of the buffer, or undefined while it is incomplete. */
  private takeAnswer(): HttpAnswer | undefined {
    const headEnd = this.buf.indexOf("\r\n\r\n");
    if (headEnd < 0) return undefined;
    const head = this.buf.toString("latin1", 0, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (length) {
      const end = headEnd + 4 + Number(length[1]);
      if (this.buf.length < end) return undefined;
      const body = this.buf.subarray(headEnd + 4, end);
      this.buf = this.buf.subarray(end);
      return { status, body };
    }
    if (!/\r\ntransfer-encoding: *chunked/i.test(head)) {
      throw new Error(`answer without Content-Length or chunked encoding: ${head.split("\r\n")[0]}`);
    }
    const chunks: Buffer[] = [];
    let at = headEnd + 4;
    for (;;) {
      const lineEnd = this.buf.indexOf("\r\n", at);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(this.buf.toString("latin1", at, lineEnd), 16);
      if (this.buf.length < lineEnd + 2 + size + 2) return undefined;
      if (size === 0) {
        this.buf = this.buf.subarray(lineEnd + 4);
        return { status, body: Buffer.concat(chunks) };
      }
      chunks.push(this.buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
}
