// The streaming server behind CRI's Exec: Exec returns a single-use URL, and the caller opens a
// websocket there speaking Kubernetes' channel protocol (v4.channel.k8s.io / v5.channel.k8s.io, as
// `kubectl exec` does over websockets): every binary frame starts with a channel byte — 0 stdin,
// 1 stdout, 2 stderr, 3 error (a Status JSON with the exit code), and in v5, 255 to close a channel.
// URLs expire after a minute unused, as the kubelet's streaming cache does.
// Known limitation: no TTY (a TTY needs a console socket from runc); Exec refuses tty requests.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { constants } from "node:os";
import { WebSocketServer } from "ws";
import type { Launch } from "../backends/backend.js";

const tokenTtlMs = 60_000;
const protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

export interface ExecSession {
  launch: Launch;
  stdin: boolean;
}

function status(exitCode: number, message?: string): Buffer {
  const s =
    exitCode === 0
      ? { metadata: {}, status: "Success" }
      : {
          metadata: {},
          status: "Failure",
          message: message ?? `command terminated with non-zero exit code: ${exitCode}`,
          reason: "NonZeroExitCode",
          details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
        };
  return Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(s))]);
}

export class StreamingServer {
  private readonly sessions = new Map<string, { session: ExecSession; expires: number }>();
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(address = "127.0.0.1:0"): Promise<StreamingServer> {
    const colon = address.lastIndexOf(":");
    const server = createServer((_req, res) =>
      res.writeHead(400).end("use a websocket with v4.channel.k8s.io"),
    );
    const wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (offered) => protocols.find((p) => offered.has(p)) ?? false,
    });
    await new Promise<void>((ok, fail) => {
      server.once("error", fail);
      server.listen(Number(address.slice(colon + 1)), address.slice(0, colon) || "127.0.0.1", () => ok());
    });
    const bound = server.address();
    const port = typeof bound === "object" && bound ? bound.port : 0;
    const streaming = new StreamingServer(server, `http://${address.slice(0, colon) || "127.0.0.1"}:${port}`);
    server.on("upgrade", (req, socket, head) => {
      const token = /^\/exec\/([0-9a-f]+)$/.exec(req.url ?? "")?.[1];
      const entry = token ? streaming.sessions.get(token) : undefined;
      if (token) streaming.sessions.delete(token);
      if (!entry || entry.expires < Date.now()) {
        socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => streaming.run(ws, entry.session));
    });
    return streaming;
  }

  /** Registers a session and returns its single-use URL. */
  register(session: ExecSession): string {
    const now = Date.now();
    for (const [t, e] of this.sessions) if (e.expires < now) this.sessions.delete(t);
    const token = randomBytes(16).toString("hex");
    this.sessions.set(token, { session, expires: now + tokenTtlMs });
    return `${this.baseUrl}/exec/${token}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((ok) => this.server.close(() => ok()));
  }

  private run(ws: import("ws").WebSocket, { launch, stdin }: ExecSession): void {
    const v5 = ws.protocol === "v5.channel.k8s.io";
    const child = spawn(launch.argv[0]!, launch.argv.slice(1), {
      env: launch.env,
      cwd: launch.cwd,
      stdio: [stdin ? "pipe" : "ignore", "pipe", "pipe"],
    });
    const send = (channel: number) => (chunk: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), chunk]));
    };
    child.stdout?.on("data", send(1));
    child.stderr?.on("data", send(2));
    child.stdin?.on("error", () => {});
    ws.on("message", (data: Buffer) => {
      if (data[0] === 0) child.stdin?.write(data.subarray(1));
      else if (v5 && data[0] === 255 && data[1] === 0) child.stdin?.end();
    });
    ws.on("close", () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    let spawnError: Error | undefined;
    child.on("error", (e) => {
      spawnError = e;
    });
    child.on("close", (code, signal) => {
      const exitCode = spawnError ? 127 : (code ?? 128 + (signal ? constants.signals[signal] : 0));
      if (ws.readyState === ws.OPEN) ws.send(status(exitCode, spawnError?.message));
      ws.close(1000);
    });
  }
}
