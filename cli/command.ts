// The shape of one verb. Definitions (summary, usage, flags) stay apart from what the verb does.

export interface Command {
  /** One line for `k8ts --help`. */
  summary: string;
  /** The flags, printed by `k8ts <verb> --help`. */
  usage: string;
  /** Runs the verb; resolves to the process exit code. Long-running verbs resolve when they stop. */
  run(argv: string[]): Promise<number>;
}

/** Thrown for bad flags: main prints the message and exits 1, no stack trace. */
export class UsageError extends Error {}
