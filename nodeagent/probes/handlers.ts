// The three ways to check on (or poke) a container, shared by probes and lifecycle hooks: exec in
// the container through the runtime's ExecSync, an HTTP GET, or a TCP connect — the latter two at the
// pod's own IP, as the kubelet's prober does. The outcome is a value; nothing here throws for a failed check.

import { connect } from "node:net";
import type { Container, IntOrString, LifecycleHandler, ProbeHandler } from "../../api/index.js";
import type { Runtime } from "../runtime.js";

export interface HandlerTarget {
  runtime: Runtime;
  containerId: string;
  container: Container;
  /** The pod IP (or the host's, for hostNetwork pods and runtimes without pod networking). */
  ip: string;
}

export interface HandlerOutcome {
  ok: boolean;
  /** What a failure event says ("HTTP probe failed with statuscode: 500", the command's output ...). */
  output: string;
}

function resolvePort(port: IntOrString, c: Container): number {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = c.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`port "${port}" is not a named port of container ${c.name}`);
  return named.containerPort;
}

export async function runHandler(
  handler: ProbeHandler | LifecycleHandler,
  target: HandlerTarget,
  timeoutMs: number,
): Promise<HandlerOutcome> {
  try {
    if (handler.exec) {
      const r = await target.runtime.ExecSync(
        {
          containerId: target.containerId,
          cmd: handler.exec.command ?? [],
          timeout: Math.ceil(timeoutMs / 1000),
        },
        { deadlineMs: timeoutMs + 5000 },
      );
      const out = Buffer.concat([Buffer.from(r.stdout ?? []), Buffer.from(r.stderr ?? [])]).toString("utf8");
      return r.exitCode === 0
        ? { ok: true, output: out }
        : {
            ok: false,
            output: out.trim() || `command ${JSON.stringify(handler.exec.command)} exited with ${r.exitCode}`,
          };
    }
    if (handler.httpGet) {
      const g = handler.httpGet;
      const host = g.host || target.ip;
      const port = resolvePort(g.port, target.container);
      const path = g.path ? (g.path.startsWith("/") ? g.path : `/${g.path}`) : "/";
      const scheme = (g.scheme ?? "HTTP").toLowerCase();
      const headers: Record<string, string> = { "user-agent": "kube-probe/1.32" };
      for (const h of g.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
      const res = await fetch(`${scheme}://${host}:${port}${path}`, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "manual",
      });
      const body = (await res.text()).slice(0, 1024);
      return res.status >= 200 && res.status < 400
        ? { ok: true, output: body }
        : { ok: false, output: `HTTP probe failed with statuscode: ${res.status}` };
    }
    if ("tcpSocket" in handler && handler.tcpSocket) {
      const host = handler.tcpSocket.host || target.ip;
      const port = resolvePort(handler.tcpSocket.port, target.container);
      return await new Promise<HandlerOutcome>((resolve) => {
        const sock = connect({ host, port });
        const timer = setTimeout(() => {
          sock.destroy();
          resolve({ ok: false, output: `dial tcp ${host}:${port}: i/o timeout` });
        }, timeoutMs);
        sock.once("connect", () => {
          clearTimeout(timer);
          sock.destroy();
          resolve({ ok: true, output: "" });
        });
        sock.once("error", (err) => {
          clearTimeout(timer);
          resolve({ ok: false, output: `dial tcp ${host}:${port}: ${err.message}` });
        });
      });
    }
    if ("sleep" in handler && handler.sleep) {
      await new Promise((r) => setTimeout(r, handler.sleep!.seconds * 1000));
      return { ok: true, output: "" };
    }
    return { ok: false, output: "no supported handler (exec, httpGet, tcpSocket)" };
  } catch (err) {
    const e = err as Error & { details?: string; cause?: Error };
    if (e.name === "TimeoutError" || e.name === "AbortError")
      return { ok: false, output: `timeout after ${timeoutMs / 1000}s` };
    return { ok: false, output: e.details ?? e.cause?.message ?? e.message };
  }
}
