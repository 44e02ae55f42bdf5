// A lean HTTP/1.1 keep-alive connection for load generators: one request in flight, the answer's
// status and body. node:http's client costs the benchmark process about 0.16 ms of CPU per
// request, this about half; on a 2-core machine the load generator shares the cores with what it
// measures, so its own cost is kept small (as the raw etcd baseline uses the leanest client).
// Answers are read by the client library's parser (client/http1-pool.ts); unlike that pool, a
// bench holds exactly one connection per simulated client, so the concurrency is the bench's.

import { connect, type Socket } from "node:net";
import { type ParsedAnswer, ResponseParser } from "../client/http1-pool.js";

export class HttpConnection {
  private readonly socket: Socket;
  private parser: ResponseParser | undefined;
  private pending?: { resolve(a: ParsedAnswer): void; reject(e: Error): void };
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
        if (!this.parser) throw new Error("bytes nobody asked for");
        this.parser.push(d);
      } catch (err) {
        fail(err as Error);
        this.socket.destroy();
      }
    });
    this.socket.on("error", fail);
    this.socket.on("close", () => fail(new Error("connection closed by the server")));
  }

  request(
    method: string,
    path: string,
    body: string,
    contentType = "application/json",
  ): Promise<ParsedAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error("one request at a time on an HttpConnection"));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.parser = new ResponseParser(false, (answer) => {
        this.parser = undefined;
        const p = this.pending;
        this.pending = undefined;
        p?.resolve(answer);
      });
      this.socket.write(
        `${method} ${path} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: ${contentType}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
