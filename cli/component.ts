// A long-running component (API server, scheduler, controllers, runtime-shim, node agent) as a
// value: started from its verb's flags, it hands back how it ends and a way to stop it. The
// component verbs run one alone until SIGTERM/SIGINT (runAlone); `k8ts control-plane` and
// `k8ts worker` run several in one Node.js process (component-host.ts). Both call the same start
// function, so a component behaves the same either way: same flags, ports and log lines.

import { stopOnSignals } from "./component-flags.js";
import { jsonLogger, type LineWriter, toStderr } from "./flags.js";

export type Logger = (line: Record<string, unknown>) => void;

/** Where a component writes: structured log lines, and the plain lines it says once it serves. */
export interface ComponentOutput {
  log: Logger;
  say(line: string): void;
}

export interface RunningComponent {
  /** Resolves to the exit code once the component has stopped, asked to or on its own (a lost lease). */
  done: Promise<number>;
  /** Asks it to stop and resolves with `done`. */
  stop(): Promise<number>;
}

/** Parses the flags, starts serving, and resolves once the component's ports are open. */
export type StartComponent = (argv: string[], out: ComponentOutput) => Promise<RunningComponent>;

/** Logs as `component`; both kinds of line go to `write` (stdout for `say` when on the terminal). */
export function componentOutput(component: string, write?: LineWriter): ComponentOutput {
  return {
    log: jsonLogger(component, write ?? toStderr),
    say: (line) => (write ? write(`${line}\n`) : process.stdout.write(`${line}\n`)),
  };
}

/** A component whose `work` runs until its signal aborts; `work` does its own cleanup before resolving. */
export function untilStopped(work: (stop: AbortSignal) => Promise<number>): RunningComponent {
  const stop = new AbortController();
  const done = work(stop.signal);
  return {
    done,
    stop: () => {
      stop.abort();
      return done;
    },
  };
}

/** Resolves when `signal` aborts (at once if it has). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

/** The component verbs: one component in this process, stopped by the first SIGTERM or SIGINT. */
export async function runAlone(name: string, start: StartComponent, argv: string[]): Promise<number> {
  const component = await start(argv, componentOutput(name));
  const signal = stopOnSignals();
  signal.addEventListener("abort", () => void component.stop(), { once: true });
  return component.done;
}
