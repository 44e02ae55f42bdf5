// Driving a program on a pseudo-terminal (node-pty), as a person at a terminal does: type keys,
// read the screen's bytes, resize the window (the kernel tells the program with SIGWINCH). For
// e2e tests of `kubectl exec -it` and `k8ts exec -it`. kill() ends the program's process group.

import { spawn as spawnPty } from "node-pty";
import { waitFor, waitForOutput } from "./wait.js";

/** What a test needs from something that behaves like a terminal session. */
export interface TypedSession {
  type(text: string): void;
  output(): string;
}

export interface TerminalProgram extends TypedSession {
  resize(cols: number, rows: number): void;
  waitOutput(re: RegExp, what: string, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the program's exit code once it has ended and its output has been read. */
  exited: Promise<number>;
  kill(): void;
}

export function runOnTerminal(
  file: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cols?: number; rows?: number },
): TerminalProgram {
  const term = spawnPty(file, args, {
    name: "xterm",
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    env: opts.env as Record<string, string>,
  });
  let out = "";
  term.onData((d) => {
    out += d;
  });
  let done = false;
  const exited = new Promise<number>((resolve) =>
    term.onExit(({ exitCode, signal }) => {
      done = true;
      resolve(signal ? 128 + signal : exitCode);
    }),
  );
  const output = () => out;
  return {
    type: (text) => term.write(text),
    output,
    resize: (cols, rows) => term.resize(cols, rows),
    waitOutput: (re, what, timeoutMs = 15_000) => waitForOutput(output, re, what, timeoutMs),
    exited,
    kill: () => {
      if (done) return;
      try {
        // node-pty makes the program a session leader: its process group is its pid.
        process.kill(-term.pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}

/**
 * Asks a shell on a terminal for its size (`stty size`), one question at a time, until it answers
 * `want` ("ROWS COLS"). A resize reaches the shell asynchronously, so one answer may still be old.
 * The answer is told from the echoed question by its expanded "size=" prefix, and may follow a
 * prompt on the same line when the question was typed ahead of it.
 */
export async function waitForTerminalSize(
  session: TypedSession,
  want: string,
  opts: { enter?: string; timeoutMs?: number } = {},
): Promise<void> {
  await waitFor(
    async () => {
      const mark = session.output().length;
      session.type(`echo "size=$(stty size)"${opts.enter ?? "\n"}`);
      const answer = await waitFor(() => /size=(\d+ \d+)\r$/m.exec(session.output().slice(mark))?.[1], {
        what: "stty size to answer",
      });
      return answer === want;
    },
    { timeoutMs: opts.timeoutMs ?? 15_000, what: `the terminal size to become ${want}` },
  );
}
