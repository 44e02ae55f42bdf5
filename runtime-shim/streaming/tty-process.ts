// An exec command on a pseudo-terminal (kubectl exec -t), through the node-pty addon: its stdout
// and stderr are the terminal (channel 1), stdin is typed into it, and a resize sets the
// terminal's size, which the kernel announces to the command with SIGWINCH.
//
// With runc the terminal given to `runc exec -t` is only a transport: runc in the foreground makes
// the container's own terminal, copies between the two, and copies our terminal's size onto it on
// SIGWINCH (Launch.relaysTerminal). Our side must then be raw, or it would echo and edit input a
// second time; runc makes it raw itself once the container's terminal exists, and it is made raw
// here before any input is written, so no keystroke can arrive while it is still cooked. Raw as
// runc makes it: input untouched, but output still processed (opost onlcr). runc clears onlcr on
// the container's terminal and leaves turning "\n" into "\r\n" to this one; a plain `stty raw`
// that landed after runc's own setting (a busy machine) left the lines without their "\r".

import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Launch } from "../backends/backend.js";
import type { TerminalSize } from "./channels.js";
import type { ExecExit, ExecProcess } from "./exec-process.js";
import { drainBeforeDestroy } from "./pty-drain.js";

const run = promisify(execFile);

/** What a terminal hangup does not end in this time is killed. */
const hangupGraceMs = 2000;

/** Kubernetes' default terminal size until the client sends its own. */
const initialSize: TerminalSize = { width: 80, height: 24 };

type NodePty = typeof import("node-pty");
let nodePty: Promise<NodePty> | undefined;

function loadNodePty(): Promise<NodePty> {
  nodePty ??= import("node-pty").catch((err: Error) => {
    nodePty = undefined;
    throw new Error(`exec with a TTY needs the node-pty addon, which did not load: ${err.message}`);
  });
  return nodePty;
}

/** Where `cmd` is found on `path`, as execvp would look; undefined when nowhere. */
function findExecutable(cmd: string, path: string): string | undefined {
  const candidates = cmd.includes("/") ? [cmd] : path.split(":").map((d) => join(d || ".", cmd));
  return candidates.find((c) => {
    try {
      accessSync(c, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function notStarted(failure: string): ExecProcess {
  return {
    onOutput: () => {},
    writeStdin: () => {},
    endStdin: () => {},
    resize: () => {},
    kill: () => {},
    exited: Promise.resolve({ exitCode: 127, failure }),
  };
}

export async function startTty(launch: Launch): Promise<ExecProcess> {
  const [file, ...args] = launch.argv;
  const env = launch.env ?? {};
  // A command that cannot be found is a clear error, as the piped path's spawn reports it, rather
  // than execvp's complaint on the terminal.
  if (!file || !findExecutable(file, env.PATH ?? "/usr/bin:/bin"))
    return notStarted(`exec: "${file ?? ""}": executable file not found in $PATH`);
  const { spawn } = await loadNodePty();
  const term = spawn(file, args, {
    name: env.TERM ?? "xterm",
    cols: initialSize.width,
    rows: initialSize.height,
    cwd: launch.cwd ?? "/",
    env,
    // Buffers in and out: the terminal's bytes are relayed, never decoded.
    encoding: null,
  });
  // Input waits until the transport terminal is raw (see the top of the file).
  let ready: Promise<void> = Promise.resolve();
  if (launch.relaysTerminal) {
    const pts = (term as unknown as { ptsName?: string }).ptsName;
    ready = pts
      ? run("stty", ["-F", pts, "raw", "-echo", "opost", "onlcr"]).then(
          () => {},
          () => {},
        )
      : Promise.resolve();
  }
  let listener: (channel: 1 | 2, data: Buffer) => void = () => {};
  term.onData((d) => listener(1, d as unknown as Buffer));
  drainBeforeDestroy(term, (d) => listener(1, d));
  let ended = false;
  let killTimer: NodeJS.Timeout | undefined;
  // node-pty reports the exit once the terminal has been read to its end, or destroyed after
  // 200 ms; pty-drain.ts reads what is left before that destroy.
  const exited = new Promise<ExecExit>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      ended = true;
      clearTimeout(killTimer);
      resolve({ exitCode: signal ? 128 + signal : exitCode });
    });
  });
  const write = (d: Buffer | string) => {
    void ready.then(() => {
      if (!ended) term.write(d);
    });
  };
  return {
    onOutput: (l) => {
      listener = l;
    },
    writeStdin: (d) => write(d),
    // A terminal has no end of input: the end of the client's stdin is typed as EOF (^D).
    endStdin: () => write("\x04"),
    resize: ({ width, height }) => {
      try {
        term.resize(width, height);
      } catch {
        // The terminal closed as the command ended; its exit is on its way.
      }
    },
    kill: () => {
      if (ended) return;
      // A closed terminal hangs up its session (SIGHUP); runc passes the signal on to the command.
      term.kill("SIGHUP");
      killTimer = setTimeout(() => {
        if (!ended) term.kill("SIGKILL");
      }, hangupGraceMs);
      killTimer.unref();
    },
    exited,
  };
}
