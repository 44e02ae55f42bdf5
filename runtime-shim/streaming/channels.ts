// Kubernetes' remotecommand channel protocol over a websocket (v4.channel.k8s.io and
// v5.channel.k8s.io): every binary frame starts with a channel byte — 0 stdin, 1 stdout, 2 stderr
// (unused with a TTY: the terminal carries both), 3 error (the final Status), 4 resize (a
// {"Width":..,"Height":..} JSON terminal size), and in v5, 255 to close a channel (stdin's EOF).

import { exitCodeStatus, type RemoteCommandStatus, remoteCommandFailure } from "../../api/index.js";

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export const PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

export interface TerminalSize {
  width: number;
  height: number;
}

export function frame(channel: number, data: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from([channel]), typeof data === "string" ? Buffer.from(data) : data]);
}

/** The final frame: how the command ended, or why it could not run. */
export function statusFrame(exit: { exitCode: number; failure?: string }): Buffer {
  const s: RemoteCommandStatus =
    exit.failure !== undefined ? remoteCommandFailure(exit.failure) : exitCodeStatus(exit.exitCode);
  return frame(CHANNEL.error, JSON.stringify(s));
}

/**
 * A resize frame's payload, or undefined when it is not a terminal size. Sizes are uint16 in
 * Kubernetes' TerminalSize; a zero dimension means "unknown" and is ignored, as the kubelet does.
 */
export function parseResize(payload: Buffer): TerminalSize | undefined {
  let v: unknown;
  try {
    v = JSON.parse(payload.toString());
  } catch {
    return undefined;
  }
  const { Width, Height } = (v ?? {}) as { Width?: unknown; Height?: unknown };
  const ok = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 0xffff;
  return ok(Width) && ok(Height) ? { width: Width, height: Height } : undefined;
}
