// The streaming server behind CRI's Exec: Exec returns a single-use URL, and the caller opens a
// websocket there speaking Kubernetes' channel protocol (channels.ts; v4.channel.k8s.io and
// v5.channel.k8s.io, as `kubectl exec` does over websockets); exec-session.ts runs the command,
// on a pseudo-terminal when a TTY was asked for. URLs expire after a minute unused, as the
// kubelet's streaming cache does.

import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { WebSocketServer } from "ws";
import { PROTOCOLS } from "./channels.js";
import { type ExecSession, runExecSession } from "./exec-session.js";

export type { ExecSession } from "./exec-session.js";

const tokenTtlMs = 60_000;

export class StreamingServer {
  private readonly sessions = new Map<string, { session: ExecSession; expires: number }>();
  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly baseUrl: string,
  ) {}

  static async start(address = "127.0.0.1:0"): Promise<StreamingServer> {
    const colon = address.lastIndexOf(":");
    const server = createServer((_req, res) =>
      res.writeHead(400).end("use a websocket with v4.channel.k8s.io"),
    );
    const wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
    });
    await new Promise<void>((ok, fail) => {
      server.once("error", fail);
      server.listen(Number(address.slice(colon + 1)), address.slice(0, colon) || "127.0.0.1", () => ok());
    });
    const bound = server.address();
    const port = typeof bound === "object" && bound ? bound.port : 0;
    const streaming = new StreamingServer(
      server,
      wss,
      `http://${address.slice(0, colon) || "127.0.0.1"}:${port}`,
    );
    server.on("upgrade", (req, socket, head) => {
      const token = /^\/exec\/([0-9a-f]+)$/.exec(req.url ?? "")?.[1];
      const entry = token ? streaming.sessions.get(token) : undefined;
      if (token) streaming.sessions.delete(token);
      if (!entry || entry.expires < Date.now()) {
        socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => void runExecSession(ws, entry.session));
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
    // Open streams end (their commands are hung up), then the server.
    for (const ws of this.wss.clients) ws.terminate();
    this.server.closeAllConnections();
    return new Promise((ok) => this.server.close(() => ok()));
  }
}
