// How a failed call reads on the terminal, in kubectl's words: "Error from server (NotFound): pods
// "nope" not found", "The Pod "bad" is invalid: spec.containers: Required value", and for an API
// server that does not answer, what to try next. Every kubectl-like verb reports through here.

import { ApiError, KubeconfigError } from "../client/index.js";
import { UsageError } from "./command.js";

/** One message for an error; `context` is kubectl's `error when creating "pod.yaml"` part. */
export function describeError(err: unknown, context?: string): string {
  if (err instanceof ApiError) return describeApiError(err, context);
  if (err instanceof KubeconfigError || err instanceof UsageError) return `error: ${err.message}`;
  const message = err instanceof Error ? err.message : String(err);
  return `error: ${context ? `${context}: ` : ""}${message}`;
}

function describeApiError(err: ApiError, context: string | undefined): string {
  const s = err.status;
  if (err.network) {
    const where = s.message?.match(/https?:\/\/[^/\s]+/)?.[0];
    return (
      `error: the API server${where ? ` at ${where}` : ""} did not answer (${s.message}). ` +
      "Is the cluster running? Check `k8ts status`, start one with `k8ts up`, or pass --kubeconfig."
    );
  }
  // kubectl builds the Invalid message from details alone (kind, name, causes).
  const causes = s.details?.causes ?? [];
  if (s.reason === "Invalid" && s.details?.kind && causes.length > 0) {
    const lines = causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ""}` : (c.message ?? "")));
    const what = `The ${s.details.kind} "${s.details.name ?? ""}" is invalid: `;
    return lines.length === 1 ? `${what}${lines[0]}` : `${what}\n${lines.map((l) => `* ${l}`).join("\n")}`;
  }
  const reason = s.reason ? ` (${s.reason})` : "";
  return `Error from server${reason}: ${context ? `${context}: ` : ""}${s.message ?? `code ${s.code}`}`;
}

/** Writes the message to stderr and returns the exit code to use (1). */
export function reportError(err: unknown, context?: string): number {
  process.stderr.write(`${describeError(err, context)}\n`);
  return 1;
}

/**
 * Runs a verb's action with kubectl's exit behaviour: 0 when it returns normally, 1 with the
 * message on stderr when it throws. Bad flags stay UsageErrors for main to report.
 */
export async function runReporting(action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return reportError(err);
  }
}
