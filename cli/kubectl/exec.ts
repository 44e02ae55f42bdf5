// `k8ts exec`: a command in a container over the pods/exec WebSocket (v5.channel.k8s.io, as
// kubectl 1.30+): binary frames whose first byte is the channel — 0 stdin, 1 stdout, 2 stderr,
// 3 the final Status, 4 terminal size, 255 "this channel is closed" (stdin EOF). With -t on a
// terminal the local terminal goes raw and its size follows SIGWINCH. The exit code is the
// command's, taken from the Status' ExitCode cause.

import WebSocket from "ws";
import type { Status } from "../../api/index.js";
import { ApiError, resourcePath } from "../../client/index.js";
import { type Kube, websocketTarget } from "../kube.js";
import { PODS, podTarget } from "./pod-target.js";

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

export interface ExecOptions {
  container?: string;
  stdin: boolean;
  tty: boolean;
}

/** The exit code and message a final Status stands for. */
export function exitFromStatus(s: Partial<Status>): { code: number; message?: string } {
  if (s.status === "Success") return { code: 0 };
  const cause = s.details?.causes?.find((c) => c.reason === "ExitCode");
  if (s.reason === "NonZeroExitCode" && cause) {
    const code = Number(cause.message);
    return {
      code: Number.isInteger(code) && code > 0 ? code : 1,
      message: `command terminated with exit code ${cause.message}`,
    };
  }
  return { code: 1, message: s.message ?? "command failed" };
}

const frame = (channel: number, data: Buffer | string) =>
  Buffer.concat([Buffer.from([channel]), typeof data === "string" ? Buffer.from(data) : data]);

export async function exec(
  kube: Kube,
  podArg: string,
  command: string[],
  opts: ExecOptions,
): Promise<number> {
  const { pod, container } = await podTarget(kube, podArg, opts.container);
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") {
    throw new Error(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  }
  const tty = opts.tty && opts.stdin && process.stdin.isTTY === true;
  if (opts.tty && !tty)
    process.stderr.write("Unable to use a TTY - input is not a terminal or the right kind of file\n");
  const query = new URLSearchParams();
  for (const c of command) query.append("command", c);
  query.set("container", container);
  query.set("stdout", "true");
  if (!tty) query.set("stderr", "true");
  if (opts.stdin) query.set("stdin", "true");
  if (tty) query.set("tty", "true");
  const path = resourcePath(PODS, {
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    subresource: "exec",
  });
  const target = websocketTarget(kube, path, query);
  const ws = new WebSocket(target.url, ["v5.channel.k8s.io"], { headers: target.headers });

  return new Promise<number>((resolve, reject) => {
    let result: { code: number; message?: string } | undefined;
    const cleanups: (() => void)[] = [];
    const finish = (err?: Error) => {
      for (const c of cleanups.splice(0)) c();
      if (err) reject(err);
      else {
        if (result?.message) process.stderr.write(`${result.message}\n`);
        resolve(result?.code ?? 0);
      }
    };
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () => {
        // The upgrade was refused with a Status (container not running, pod not found...).
        try {
          const status = JSON.parse(body) as Status;
          if (status.kind === "Status")
            return finish(new ApiError({ ...status, code: res.statusCode ?? status.code }));
        } catch {
          // not a Status
        }
        finish(new Error(`exec: the server answered ${res.statusCode}: ${body.trim().slice(0, 200)}`));
      });
    });
    ws.on("error", (err) => finish(err));
    ws.on("open", () => {
      if (ws.protocol !== "v5.channel.k8s.io") {
        finish(new Error(`exec: the server does not speak v5.channel.k8s.io (got "${ws.protocol}")`));
        ws.terminate();
        return;
      }
      if (tty) {
        const resize = () =>
          ws.send(
            frame(
              CHANNEL.resize,
              JSON.stringify({ Width: process.stdout.columns ?? 80, Height: process.stdout.rows ?? 24 }),
            ),
          );
        resize();
        process.stdout.on("resize", resize);
        process.stdin.setRawMode(true);
        cleanups.push(() => {
          process.stdout.off("resize", resize);
          process.stdin.setRawMode(false);
        });
      }
      if (opts.stdin) {
        const onData = (d: Buffer) => ws.send(frame(CHANNEL.stdin, d));
        const onEnd = () => ws.send(Buffer.from([CHANNEL.close, CHANNEL.stdin]));
        process.stdin.on("data", onData);
        process.stdin.on("end", onEnd);
        cleanups.push(() => {
          process.stdin.off("data", onData);
          process.stdin.off("end", onEnd);
          process.stdin.pause();
        });
      }
    });
    ws.on("message", (data: Buffer, isBinary) => {
      if (!isBinary || data.length === 0) return;
      const payload = data.subarray(1);
      if (data[0] === CHANNEL.stdout) process.stdout.write(payload);
      else if (data[0] === CHANNEL.stderr) process.stderr.write(payload);
      else if (data[0] === CHANNEL.status) {
        try {
          result = exitFromStatus(JSON.parse(payload.toString()) as Status);
        } catch {
          result = { code: 1, message: `exec: undecodable status: ${payload.toString().slice(0, 120)}` };
        }
      }
    });
    ws.on("close", (code) => {
      if (!result && code !== 1000)
        result = { code: 1, message: `exec: the connection closed (code ${code})` };
      finish();
    });
  });
}
