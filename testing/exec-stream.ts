// A client for Kubernetes' exec channel protocol over a websocket (v5.channel.k8s.io), for tests
// that drive an exec stream the way kubectl does: type on stdin (0), send terminal sizes (4), close
// stdin (255), read stdout (1), stderr (2) and the final Status (3).

import { WebSocket } from "ws";
import { CHANNEL, frame } from "../runtime-shim/streaming/channels.js";
import { waitForOutput } from "./wait.js";

export interface ExecStream {
  /** The protocol the server chose. */
  protocol: string;
  /** Everything received so far on stdout (1) and stderr (2). */
  output(channel?: 1 | 2): string;
  type(text: string): void;
  resize(width: number, height: number): void;
  closeStdin(): void;
  /** Waits until stdout matches `re`; returns the match. */
  waitOutput(re: RegExp, what: string, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the parsed Status from channel 3 (undefined if none came) once the socket closes. */
  closed: Promise<{
    code: number;
    status?: {
      status: string;
      reason?: string;
      message?: string;
      details?: { causes?: { reason?: string; message?: string }[] };
    };
  }>;
  terminate(): void;
}

export async function openExecStream(
  url: string,
  opts: { protocol?: string; headers?: Record<string, string> } = {},
): Promise<ExecStream> {
  const ws = new WebSocket(url.replace(/^http/, "ws"), [opts.protocol ?? "v5.channel.k8s.io"], {
    headers: opts.headers,
  });
  const out: Record<number, Buffer[]> = { [CHANNEL.stdout]: [], [CHANNEL.stderr]: [], [CHANNEL.error]: [] };
  ws.on("message", (d: Buffer) => out[d[0]!]?.push(d.subarray(1)));
  const closed = new Promise<{ code: number; status?: any }>((resolve) =>
    ws.on("close", (code) => {
      const raw = Buffer.concat(out[CHANNEL.error]!).toString();
      resolve({ code, status: raw ? JSON.parse(raw) : undefined });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (c: Buffer) => {
        body += c.toString();
      });
      res.on("end", () => reject(new Error(`HTTP ${res.statusCode}: ${body}`)));
    });
  });
  const output = (channel: 1 | 2 = 1) => Buffer.concat(out[channel]!).toString();
  return {
    protocol: ws.protocol,
    output,
    type: (text) => ws.send(frame(CHANNEL.stdin, text)),
    resize: (width, height) =>
      ws.send(frame(CHANNEL.resize, JSON.stringify({ Width: width, Height: height }))),
    closeStdin: () => ws.send(Buffer.from([CHANNEL.close, CHANNEL.stdin])),
    waitOutput: (re, what, timeoutMs = 10_000) => waitForOutput(output, re, what, timeoutMs),
    closed,
    terminate: () => ws.terminate(),
  };
}
