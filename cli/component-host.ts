// Several components in one Node.js process: what `k8ts control-plane` (API server, scheduler,
// controllers) and `k8ts worker` (runtime-shim, node agent) are made of. Folding components into
// one process is how k3s and k0s save memory: each Node.js process costs ~39 MiB before it loads
// anything (docs/footprint.md). Nothing else is shared: each component gets its own flags, as
// `--<component>-arg key=value` (k3s' --kube-apiserver-arg form), its own log file
// (`--<component>-log FILE`), its own ports, and they still talk over HTTP and gRPC as when apart.
//
// They start in the order given and stop in the reverse order; when one ends on its own (a lost
// lease, a crash), the others are stopped too and the process exits: its supervisor sees one
// failure, as it would for a single component.

import { type Command, UsageError } from "./command.js";
import { aborted, componentOutput, type StartComponent } from "./component.js";
import { stopOnSignals } from "./component-flags.js";
import { jsonLogger, parseFlags, toFile } from "./flags.js";

export interface HostedComponent {
  /** The component's verb, e.g. "apiserver": its flags are `k8ts <name> --help`'s. */
  name: string;
  start: StartComponent;
}

type HostFlags = Record<string, { type: "string"; multiple?: true; default?: string[] }>;

function hostFlags(components: HostedComponent[]): HostFlags {
  const flags: HostFlags = {};
  for (const c of components) {
    flags[`${c.name}-arg`] = { type: "string", multiple: true, default: [] };
    flags[`${c.name}-log`] = { type: "string" };
  }
  return flags;
}

/** "port=6443" → "--port=6443"; "leader-elect" → "--leader-elect". */
export function componentFlag(hostFlag: string, kv: string): string {
  if (!/^[a-z][a-z0-9-]*(=|$)/.test(kv)) throw new UsageError(`--${hostFlag} must be key=value, got "${kv}"`);
  return `--${kv}`;
}

/** A verb that hosts `components` in this process. */
export function hostCommand(summary: string, components: HostedComponent[], example: string): Command {
  const names = components.map((c) => c.name);
  return {
    summary,
    usage: `Runs ${names.join(", ")} in this Node.js process, started in that order and stopped in the
reverse order; when one of them stops on its own, all stop and the process exits.

Flags, for each component C of ${names.join(", ")}:
  --C-arg key=value   one of C's own flags (see \`k8ts C --help\`), e.g. ${example}; repeat it
  --C-log FILE        C's log and output, appended to FILE (default: this process's stderr and stdout)`,
    run: (argv) => runHosted(components, argv),
  };
}

async function runHosted(components: HostedComponent[], argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, hostFlags(components));
  const flagValues = values as Record<string, string[] | string | undefined>;
  const parts = components.map((c) => ({
    ...c,
    argv: (flagValues[`${c.name}-arg`] as string[]).map((kv) => componentFlag(`${c.name}-arg`, kv)),
    log: flagValues[`${c.name}-log`] as string | undefined,
  }));
  const log = jsonLogger(components.map((c) => c.name).join("+"));
  const stop = stopOnSignals();
  const running: { name: string; stop(): Promise<number>; done: Promise<number> }[] = [];
  const codes: number[] = [];
  try {
    for (const p of parts) {
      if (stop.aborted) break;
      const out = componentOutput(p.name, p.log ? toFile(p.log) : undefined);
      const started = await p.start(p.argv, out).catch((err: unknown) => {
        // A bad flag is the user's to fix: say whose flag it was.
        throw err instanceof UsageError ? new UsageError(`${p.name}: ${err.message}`) : err;
      });
      running.push({ name: p.name, ...started });
      log({ level: "info", msg: "component started", hosted: p.name, ...(p.log ? { log: p.log } : {}) });
    }
    const ended = await Promise.race([
      aborted(stop).then(() => undefined),
      ...running.map((r) =>
        r.done.then(
          (code) => ({ hosted: r.name, code, error: undefined }),
          (error: unknown) => ({ hosted: r.name, code: 1, error: String(error) }),
        ),
      ),
    ]);
    if (ended) {
      const level = ended.code === 0 ? "warn" : "error";
      log({ level, msg: "a component stopped on its own; stopping the others", ...ended });
    }
  } finally {
    for (const r of running.reverse()) {
      const code = await r.stop().catch((err: unknown) => {
        log({ level: "error", msg: "component failed", hosted: r.name, error: String(err) });
        return 1;
      });
      codes.push(code);
    }
  }
  return Math.max(0, ...codes);
}
