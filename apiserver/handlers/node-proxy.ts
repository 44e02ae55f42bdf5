// pods/log, pods/exec and pods/attach live on the pod's node: the API server finds the node agent
// (the Node's InternalIP address and status.daemonEndpoints.kubeletEndpoint.Port, as kube-apiserver
// finds a kubelet) and relays the request. Logs are streamed through; exec/attach WebSocket
// upgrades are piped byte for byte, so kubectl and the node agent speak v5.channel.k8s.io directly.

import { type IncomingMessage, request, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import type { KubeObject } from "../../api/index.js";
import { resourceFor } from "../../api/resources.js";
import { ApiError, badRequest, statusFor } from "../errors.js";
import type { Registry } from "../registry.js";
import type { RequestInfo } from "../request-info.js";

const NODES = resourceFor("", "nodes")!;

interface NodeTarget {
  host: string;
  port: number;
  container: string;
}

interface PodShape {
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[] };
  metadata: KubeObject["metadata"];
}

/** Which container a log/exec request means: the one named, the default-container annotation, or the only one. */
export function pickContainer(pod: PodShape, requested: string | null): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const all = [...names, ...(pod.spec?.initContainers ?? []).map((c) => c.name)];
  const podName = pod.metadata.name;
  if (requested) {
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
  if (annotated && all.includes(annotated)) return annotated;
  if (names.length === 1) return names[0]!;
  throw badRequest(
    `a container name must be specified for pod ${podName}, choose one of: [${names.join(" ")}]`,
  );
}

/** Where the pod's node agent listens. */
export function nodeAgentAddress(node: KubeObject): { host: string; port: number } | undefined {
  const status = node.status as
    | {
        addresses?: { type: string; address: string }[];
        daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
      }
    | undefined;
  const port = status?.daemonEndpoints?.kubeletEndpoint?.Port;
  const addrs = status?.addresses ?? [];
  const host = (addrs.find((a) => a.type === "InternalIP") ?? addrs.find((a) => a.type === "Hostname"))
    ?.address;
  if (!port || !host) return undefined;
  return { host, port };
}

async function resolveTarget(registry: Registry, info: RequestInfo, q: URLSearchParams): Promise<NodeTarget> {
  const pod = (await registry.get(info.resource, info.namespace, info.name!)) as PodShape;
  const container = pickContainer(pod, q.get("container"));
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${info.name} does not have a host assigned`);
  const node = await registry.storage.get(NODES, undefined, nodeName);
  const addr = node ? nodeAgentAddress(node) : undefined;
  if (!addr) {
    throw new ApiError(
      503,
      "ServiceUnavailable",
      `node "${nodeName}" has no node agent endpoint registered, so ${info.subresource} for pod ${info.name} cannot be served`,
    );
  }
  return { ...addr, container };
}

function agentPath(kind: string, info: RequestInfo, container: string, q: URLSearchParams): string {
  const rest = new URLSearchParams(q);
  rest.delete("container");
  const base = `/${kind}/${encodeURIComponent(info.namespace!)}/${encodeURIComponent(info.name!)}/${encodeURIComponent(container)}`;
  const qs = rest.toString();
  return qs ? `${base}?${qs}` : base;
}

/** GET pods/{name}/log: streamed from the node agent's /containerLogs. */
export async function proxyLogs(
  res: ServerResponse,
  registry: Registry,
  info: RequestInfo,
  q: URLSearchParams,
): Promise<void> {
  const t = await resolveTarget(registry, info, q);
  await new Promise<void>((resolve, reject) => {
    const up = request(
      { host: t.host, port: t.port, path: agentPath("containerLogs", info, t.container, q), method: "GET" },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, {
          "Content-Type": ur.headers["content-type"] ?? "text/plain",
          ...(ur.headers["content-length"] ? { "Content-Length": ur.headers["content-length"] } : {}),
        });
        res.flushHeaders();
        ur.pipe(res);
        ur.on("end", resolve);
        ur.on("error", () => {
          res.end();
          resolve();
        });
      },
    );
    up.on("error", (err) =>
      reject(
        new ApiError(
          503,
          "ServiceUnavailable",
          `the node agent at ${t.host}:${t.port} did not answer: ${err.message}`,
        ),
      ),
    );
    // A client that stops reading (kubectl logs -f interrupted) ends the upstream stream too.
    res.on("close", () => {
      up.destroy();
      resolve();
    });
    up.end();
  });
}

/** Answers a refused upgrade with a Status; returns the HTTP code sent. */
function writeRawStatus(socket: Socket, err: unknown): number {
  const s = statusFor(err);
  const body = JSON.stringify(s);
  const reason = { 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable" }[s.code] ?? "Error";
  socket.end(
    `HTTP/1.1 ${s.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  return s.code;
}

/** The HTTP code on the status line that starts an upstream answer, if it is one. */
function responseCode(firstChunk: Buffer): number | undefined {
  const m = /^HTTP\/1\.[01] (\d{3}) /.exec(firstChunk.subarray(0, 32).toString("latin1"));
  return m ? Number(m[1]) : undefined;
}

/**
 * An exec/attach WebSocket upgrade: connect to the node agent and pipe both directions. Resolves
 * with the HTTP code the client got: the node agent's own answer (101 when it upgraded), or the
 * code of the Status sent when the pod or its node agent could not be reached.
 */
export async function proxyUpgrade(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  registry: Registry,
  info: RequestInfo,
  q: URLSearchParams,
): Promise<number> {
  socket.on("error", () => {});
  let t: NodeTarget;
  try {
    t = await resolveTarget(registry, info, q);
  } catch (err) {
    return writeRawStatus(socket, err);
  }
  return new Promise<number>((resolve) => {
    const upstream = connect(t.port, t.host);
    const unreachable = (err: Error) =>
      resolve(
        writeRawStatus(
          socket,
          new ApiError(
            503,
            "ServiceUnavailable",
            `the node agent at ${t.host}:${t.port} did not answer: ${err.message}`,
          ),
        ),
      );
    upstream.once("error", unreachable);
    upstream.once("connect", () => {
      upstream.off("error", unreachable);
      const lines = [`${req.method} ${agentPath(info.subresource!, info, t.container, q)} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const k = req.rawHeaders[i]!;
        if (k.toLowerCase() === "host") lines.push(`Host: ${t.host}:${t.port}`);
        else if (k.toLowerCase() !== "authorization") lines.push(`${k}: ${req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) upstream.write(head);
      // The agent's status line says how the upgrade went; an agent that hangs up without one is a 502.
      upstream.once("data", (chunk: Buffer) => resolve(responseCode(chunk) ?? 502));
      upstream.once("close", () => resolve(502));
      upstream.pipe(socket);
      socket.pipe(upstream);
      upstream.on("error", () => socket.destroy());
      socket.on("close", () => upstream.destroy());
      upstream.on("close", () => socket.destroy());
    });
  });
}
