// Keeping a terminal's last output. When the command on a node-pty terminal exits, node-pty waits
// 200 ms for its reads to reach the end of the terminal and then destroys it, whatever is still
// unread (microsoft/node-pty#72). On a busy machine the event loop can be late by more than that,
// and the command's last lines (`echo done; exit 3`) were lost. Here, just before that destroy,
// what is left in the terminal is read at once and handed on: node-pty makes the master side
// non-blocking, so the reads stop at EAGAIN (nothing more yet) or EIO (the other side is closed).

import { readSync } from "node:fs";

interface PtyInternals {
  _socket?: { destroy(...args: unknown[]): unknown };
  _fd?: number;
}

/** Calls `onData` with whatever is still unread in `term` when node-pty destroys it. */
export function drainBeforeDestroy(term: object, onData: (chunk: Buffer) => void): void {
  const { _socket: socket, _fd: fd } = term as PtyInternals;
  // Another node-pty version without these fields: its own behaviour stands.
  if (!socket || typeof fd !== "number") return;
  const destroy = socket.destroy.bind(socket);
  socket.destroy = (...args: unknown[]) => {
    drain(fd, onData);
    return destroy(...args);
  };
}

function drain(fd: number, onData: (chunk: Buffer) => void): void {
  const buf = Buffer.alloc(64 * 1024);
  // Bounded: a command still writing as fast as it can does not hold the shim here.
  for (let i = 0; i < 64; i++) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch {
      return; // EAGAIN: nothing more for now; EIO: the end of the terminal
    }
    if (n <= 0) return;
    onData(Buffer.from(buf.subarray(0, n)));
  }
}
