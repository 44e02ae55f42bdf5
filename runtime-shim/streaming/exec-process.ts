// A running exec command as the streaming session sees it, whichever way its stdio is connected:
// pipes (piped-process.ts) or a pseudo-terminal (tty-process.ts).

import type { TerminalSize } from "./channels.js";

export interface ExecExit {
  /** The command's exit code; 128+n when a signal ended it, 127 when it could not be started. */
  exitCode: number;
  /** Set when the command could not be started at all. */
  failure?: string;
}

export interface ExecProcess {
  /** Output as it arrives: channel 1 (stdout, or the terminal) or 2 (stderr). */
  onOutput(listener: (channel: 1 | 2, data: Buffer) => void): void;
  writeStdin(data: Buffer): void;
  /** The client's stdin ended. */
  endStdin(): void;
  /** A new terminal size; ignored without a terminal. */
  resize(size: TerminalSize): void;
  /** The client went away: end the command. */
  kill(): void;
  /** Settles once the command has exited and all of its output has been passed to the listener. */
  readonly exited: Promise<ExecExit>;
}
