// A stand-in node agent for testing the API server's relaying of pods/log and pods/exec with the
// real kubectl: it speaks the node agent's endpoints (/containerLogs, /exec with WebSocket
// v5.channel.k8s.io) with canned behaviour. The real node agent has its own tests.

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { exitCodeStatus } from "../api/index.js";
import { frame } from "../runtime-shim/streaming/channels.js";
import { nodeObjectAt } from "../testing/index.js";

export interface FakeNodeAgent {
  port: number;
  /** Paths (with query) the agent was asked for, newest last. */
  requests: string[];
  close(): Promise<void>;
}

const LOG = "line one\nline two\nline three\n";

function finish(ws: WebSocket, exitCode: number): void {
  ws.send(frame(3, JSON.stringify(exitCodeStatus(exitCode))), () => ws.close(1000));
}

/** The Node object that sends the API server's exec/logs/port-forward proxy to this agent. */
export function fakeAgentNode(agent: FakeNodeAgent, name = "agent-node") {
  return nodeObjectAt(name, agent.port);
}

export async function startFakeNodeAgent(): Promise<FakeNodeAgent> {
  const requests: string[] = [];
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has("v5.channel.k8s.io") ? "v5.channel.k8s.io" : false),
  });
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://agent");
    if (url.pathname.startsWith("/containerLogs/")) {
      const tail = url.searchParams.get("tailLines");
      const lines = LOG.trimEnd().split("\n");
      const body = `${(tail ? lines.slice(-Number(tail)) : lines).join("\n")}\n`;
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end(body);
      return;
    }
    res.writeHead(404, { "Content-Type": "application/json" });
    res.end(
      JSON.stringify({
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        code: 404,
        reason: "NotFound",
        message: "no such endpoint",
      }),
    );
  });
  server.on("upgrade", (req: IncomingMessage, socket, head) => {
    requests.push(req.url ?? "");
    wss.handleUpgrade(req, socket, head, (ws) => {
      const url = new URL(req.url ?? "/", "http://agent");
      const cmd = url.searchParams.getAll("command");
      if (cmd[0] === "echo") {
        ws.send(frame(1, `${cmd.slice(1).join(" ")}\n`), () => finish(ws, 0));
      } else if (cmd[0] === "fail") {
        ws.send(frame(2, "failing on purpose\n"), () => finish(ws, Number(cmd[1] ?? "1")));
      } else if (cmd[0] === "cat") {
        ws.on("message", (data: Buffer) => {
          if (data[0] === 0) ws.send(frame(1, data.subarray(1)));
          else if (data[0] === 255 && data[1] === 0) finish(ws, 0);
        });
      } else {
        ws.send(frame(2, `${cmd[0]}: not found\n`), () => finish(ws, 127));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
