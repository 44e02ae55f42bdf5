// The node agent's HTTP endpoints, as the kubelet serves them and the API server proxies to them:
//   GET /healthz, GET /metrics,
//   GET /containerLogs/{namespace}/{pod}/{container}?follow&tailLines&timestamps&previous&sinceSeconds&limitBytes
//   GET /exec/{namespace}/{pod}/{container}?command=..&stdin&stdout&stderr&tty  (WebSocket, v5.channel.k8s.io)
// Errors before any output are Kubernetes Status objects with the matching HTTP code, built in one place.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import {
  exitCodeStatus,
  type Pod,
  remoteCommandFailure,
  type StatusReason,
  statusObject,
} from "../api/index.js";
import type { Registry } from "../client/prom.js";
import { ContainerState } from "../proto/runtime/v1/index.js";
import { LogFollower, LogFormatter, type LogOptions, tail } from "./logs.js";
import type { ObservedContainer, ObservedPod, Runtime } from "./runtime.js";

export interface NodeServerDeps {
  findPod(namespace: string, name: string): Pod | undefined;
  observe(uid: string): Promise<ObservedPod>;
  runtime: Runtime;
  metrics: Registry;
  health(): { ok: boolean; message: string };
  log(line: Record<string, unknown>): void;
}

const EXEC_PROTOCOL = "v5.channel.k8s.io";

export class HttpStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
  ) {
    super(message);
  }
}

const badRequest = (m: string) => new HttpStatusError(400, "BadRequest", m);

function statusBody(code: number, reason: StatusReason, message: string): string {
  return JSON.stringify(statusObject(code, reason, message));
}

/** The one mapper from an error to the wire. */
function sendError(res: ServerResponse, err: unknown): void {
  const e =
    err instanceof HttpStatusError
      ? err
      : new HttpStatusError(500, "InternalError", (err as Error)?.message ?? String(err));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(e.code, { "content-type": "application/json" }).end(statusBody(e.code, e.reason, e.message));
}

function rejectUpgrade(socket: Duplex, err: unknown): void {
  const e = err instanceof HttpStatusError ? err : new HttpStatusError(500, "InternalError", String(err));
  const body = statusBody(e.code, e.reason, e.message);
  socket.end(
    `HTTP/1.1 ${e.code} ${e.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

interface Target {
  pod: Pod;
  container: string;
  /** Instances of that container, newest first. */
  instances: ObservedContainer[];
}

async function resolveTarget(deps: NodeServerDeps, path: string[]): Promise<Target> {
  const [namespace, name, container] = path.map(decodeURIComponent);
  if (!namespace || !name || !container)
    throw new HttpStatusError(404, "NotFound", "expected /{namespace}/{pod}/{container}");
  const pod = deps.findPod(namespace, name);
  if (!pod) throw new HttpStatusError(404, "NotFound", `pods "${name}" not found`);
  const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const observed = await deps.observe(pod.metadata.uid!);
  return { pod, container, instances: observed.containers.filter((c) => c.name === container) };
}

/** Which instance's log to read, from the pod's reported status, as the kubelet's validateContainerLogStatus decides. */
function logContainerId(t: Target, previous: boolean): string {
  const podName = t.pod.metadata.name;
  const all = [...(t.pod.status?.initContainerStatuses ?? []), ...(t.pod.status?.containerStatuses ?? [])];
  const st = all.find((s) => s.name === t.container);
  const last = st?.lastState?.terminated?.containerID;
  if (previous) {
    if (!last)
      throw badRequest(`previous terminated container "${t.container}" in pod "${podName}" not found`);
    return last;
  }
  if (st?.state?.running || st?.state?.terminated)
    return st.containerID ?? st.state.terminated?.containerID ?? "";
  if (last) return last;
  const reason = st?.state?.waiting?.reason ?? "ContainerCreating";
  const why =
    reason === "ErrImagePull"
      ? "image can't be pulled"
      : reason === "ImagePullBackOff"
        ? "trying and failing to pull image"
        : reason;
  throw badRequest(`container "${t.container}" in pod "${podName}" is waiting to start: ${why}`);
}

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === "true" || v === "1";
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`${name}: "${v}" is not an integer`);
  return n;
}

async function serveLogs(
  deps: NodeServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string[],
  q: URLSearchParams,
) {
  const t = await resolveTarget(deps, path);
  const previous = flag(q, "previous");
  const id = logContainerId(t, previous);
  const instance = t.instances.find((c) => `k8ts://${c.id}` === id);
  if (!instance)
    throw badRequest(`container "${t.container}" in pod "${t.pod.metadata.name}" is not available`);
  const sinceSeconds = intParam(q, "sinceSeconds");
  const sinceTime = q.get("sinceTime");
  const opts: LogOptions = {
    follow: flag(q, "follow") && !previous && instance.state === "running",
    tailLines: intParam(q, "tailLines"),
    timestamps: flag(q, "timestamps"),
    limitBytes: intParam(q, "limitBytes"),
    sinceMs:
      sinceSeconds !== undefined
        ? Date.now() - sinceSeconds * 1000
        : sinceTime
          ? Date.parse(sinceTime)
          : undefined,
  };
  const fmt = new LogFormatter(opts);
  let budget = opts.limitBytes ?? Infinity;
  const write = (chunks: Buffer[]): boolean => {
    for (const c of chunks) {
      if (budget <= 0) return false;
      const piece = c.length > budget ? c.subarray(0, budget) : c;
      budget -= piece.length;
      res.write(piece);
    }
    return budget > 0;
  };
  res.writeHead(200, { "content-type": "text/plain", "cache-control": "no-cache" });
  const follower = new LogFollower(instance.logPath);
  try {
    let more = write(tail(fmt.format(follower.next()), opts.tailLines)) && opts.follow;
    let closed = false;
    req.on("close", () => {
      closed = true;
    });
    // Follow: poll the file, and end once the container is no longer running and the file is drained.
    while (more && !closed) {
      await new Promise((r) => setTimeout(r, 100));
      const st = await deps.runtime.ContainerStatus({ containerId: instance.id }).catch(() => undefined);
      const running = st?.status?.state === ContainerState.CONTAINER_RUNNING;
      more = write(fmt.format(follower.next())) && running;
    }
  } finally {
    follower.close();
  }
  res.end();
}

const frame = (channel: number, data: Buffer | string) =>
  Buffer.concat([Buffer.from([channel]), Buffer.from(data)]);

async function runExec(deps: NodeServerDeps, ws: WebSocket, containerId: string, q: URLSearchParams) {
  const cmd = q.getAll("command");
  const interactive = flag(q, "stdin") || flag(q, "tty");
  // The client may send stdin and a resize at once: hold its frames until the runtime's stream is open.
  const early: { data: Buffer; binary: boolean }[] = [];
  const hold = (data: Buffer, binary: boolean) => early.push({ data, binary });
  ws.on("message", hold);
  const finish = (status: string) => {
    ws.send(frame(3, status), { binary: true }, () => ws.close(1000));
  };
  try {
    if (interactive) {
      // A streaming exec needs the runtime's streaming endpoint (CRI Exec returns its URL). With a
      // TTY the terminal carries stderr, so stderr is not asked for, as the kubelet drops it.
      const tty = flag(q, "tty");
      const r = await deps.runtime.Exec({
        containerId,
        cmd,
        tty,
        stdin: flag(q, "stdin"),
        stdout: flag(q, "stdout"),
        stderr: flag(q, "stderr") && !tty,
      });
      if (!r.url) throw new Error("the runtime returned no streaming URL for exec");
      const upstream = await openUpstream(r.url);
      ws.off("message", hold);
      relay(ws, upstream, early);
      return;
    }
    const r = await deps.runtime.ExecSync({ containerId, cmd, timeout: 0 }, { deadlineMs: 24 * 3600_000 });
    if (flag(q, "stdout") && r.stdout?.length) ws.send(frame(1, Buffer.from(r.stdout)), { binary: true });
    if (flag(q, "stderr") && r.stderr?.length) ws.send(frame(2, Buffer.from(r.stderr)), { binary: true });
    finish(JSON.stringify(exitCodeStatus(r.exitCode ?? 0)));
  } catch (err) {
    const e = err as { details?: string; message?: string };
    finish(JSON.stringify(remoteCommandFailure(e.details || e.message || String(err))));
  }
}

function openUpstream(url: string): Promise<WebSocket> {
  const upstream = new WebSocket(url, [EXEC_PROTOCOL]);
  return new Promise((resolve, reject) => {
    upstream.once("open", () => resolve(upstream));
    upstream.once("error", reject);
  });
}

/** Relays v5 frames between the client and the runtime's streaming server, unchanged in both directions. */
function relay(client: WebSocket, upstream: WebSocket, early: { data: Buffer; binary: boolean }[]): void {
  for (const m of early) upstream.send(m.data, { binary: m.binary });
  upstream.on("message", (d: Buffer, binary) => client.send(d, { binary }));
  client.on("message", (d: Buffer, binary) => upstream.send(d, { binary }));
  upstream.on("close", (code) => client.close(code === 1005 ? 1000 : code));
  client.on("close", () => upstream.close());
}

export interface NodeServer {
  port: number;
  close(): Promise<void>;
}

export async function startNodeServer(deps: NodeServerDeps, host: string, port: number): Promise<NodeServer> {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(EXEC_PROTOCOL) ? EXEC_PROTOCOL : false),
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://node");
    const parts = url.pathname.split("/").filter(Boolean);
    if (req.method !== "GET")
      throw new HttpStatusError(405, "MethodNotAllowed", `${req.method} is not allowed`);
    if (url.pathname === "/healthz") {
      const h = deps.health();
      res.writeHead(h.ok ? 200 : 500, { "content-type": "text/plain" }).end(h.ok ? "ok" : h.message);
      return;
    }
    if (url.pathname === "/metrics") {
      res.writeHead(200, { "content-type": deps.metrics.contentType }).end(await deps.metrics.metrics());
      return;
    }
    if (parts[0] === "containerLogs") return serveLogs(deps, req, res, parts.slice(1), url.searchParams);
    if (parts[0] === "exec") throw badRequest("exec needs a WebSocket upgrade (v5.channel.k8s.io)");
    throw new HttpStatusError(
      404,
      "NotFound",
      `the server could not find the requested resource (${url.pathname})`,
    );
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => sendError(res, err));
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://node");
    const parts = url.pathname.split("/").filter(Boolean);
    (async () => {
      if (parts[0] !== "exec") throw new HttpStatusError(404, "NotFound", `no upgrade at ${url.pathname}`);
      const offered = String(req.headers["sec-websocket-protocol"] ?? "")
        .split(",")
        .map((s) => s.trim());
      if (!offered.includes(EXEC_PROTOCOL))
        throw badRequest(`upgrade not supported: only ${EXEC_PROTOCOL} is spoken`);
      const t = await resolveTarget(deps, parts.slice(1));
      const live = t.instances[0];
      if (live?.state !== "running")
        throw badRequest(`container "${t.container}" in pod "${t.pod.metadata.name}" is not running`);
      if (url.searchParams.getAll("command").length === 0)
        throw badRequest("you must specify at least one command");
      wss.handleUpgrade(req, socket, head, (ws) => void runExec(deps, ws, live.id, url.searchParams));
    })().catch((err) => rejectUpgrade(socket, err));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === "object" && addr ? addr.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
