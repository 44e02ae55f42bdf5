// One exec stream: starts the command (on pipes, or on a terminal when the client asked for a TTY)
// and relays the channel protocol (channels.ts) between the websocket and the command until it
// exits; then the final Status goes out on the error channel and the socket closes normally.

import type { WebSocket } from "ws";
import type { Launch } from "../backends/backend.js";
import { CHANNEL, frame, parseResize, statusFrame } from "./channels.js";
import type { ExecProcess } from "./exec-process.js";
import { startPiped } from "./piped-process.js";
import { startTty } from "./tty-process.js";

export interface ExecSession {
  launch: Launch;
  stdin: boolean;
  tty: boolean;
}

export async function runExecSession(ws: WebSocket, session: ExecSession): Promise<void> {
  const v5 = ws.protocol === "v5.channel.k8s.io";
  // Frames that arrive while the command starts (stdin typed ahead, the first resize) are kept.
  const early: Buffer[] = [];
  const keep = (d: Buffer) => early.push(d);
  ws.on("message", keep);
  let proc: ExecProcess;
  try {
    proc = session.tty ? await startTty(session.launch) : startPiped(session.launch, session.stdin);
  } catch (err) {
    if (ws.readyState === ws.OPEN)
      ws.send(statusFrame({ exitCode: 127, failure: (err as Error).message }), () => ws.close(1000));
    return;
  }
  ws.off("message", keep);
  proc.onOutput((channel, data) => {
    if (ws.readyState === ws.OPEN) ws.send(frame(channel, data));
  });
  const onFrame = (data: Buffer) => {
    const channel = data[0];
    const payload = data.subarray(1);
    if (channel === CHANNEL.stdin && session.stdin) proc.writeStdin(payload);
    else if (channel === CHANNEL.resize) {
      // A frame that is not a terminal size is ignored, as the kubelet ignores it.
      const size = parseResize(payload);
      if (size) proc.resize(size);
    } else if (v5 && channel === CHANNEL.close && payload[0] === CHANNEL.stdin) proc.endStdin();
  };
  for (const d of early) onFrame(d);
  ws.on("message", onFrame);
  // A client that left while the command was starting hangs it up at once.
  if (ws.readyState !== ws.OPEN) proc.kill();
  else ws.on("close", () => proc.kill());
  const exit = await proc.exited;
  if (ws.readyState === ws.OPEN) ws.send(statusFrame(exit), () => ws.close(1000));
}
