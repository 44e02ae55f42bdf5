// Finding records by id for the handlers, folding in what the monitor reported since the last look
// (a container that exited while nobody asked becomes EXITED here), and the CRI filters.

import { nextState } from "./container-state.js";
import type { ShimContext } from "./context.js";
import { invalidArgument, notFound } from "./errors.js";
import { alive, readExit } from "./monitor/launcher.js";
import { waitInDir } from "./monitor/on-change.js";
import type { ContainerRecord, SandboxRecord } from "./store.js";

export function requireId(id: string | undefined, what: string): string {
  if (!id) throw invalidArgument(`${what} id is required`);
  return id;
}

export function findSandbox(ctx: ShimContext, id: string): SandboxRecord | undefined {
  return ctx.store.sandboxes.get(id) ?? byPrefix(ctx.store.sandboxes, id);
}

export function getSandbox(ctx: ShimContext, id: string | undefined): SandboxRecord {
  const s = findSandbox(ctx, requireId(id, "pod sandbox"));
  if (!s) throw notFound(`pod sandbox ${id} not found`);
  return s;
}

export function findContainer(ctx: ShimContext, id: string): ContainerRecord | undefined {
  const c = ctx.store.containers.get(id) ?? byPrefix(ctx.store.containers, id);
  return c && observeExit(ctx, c);
}

export function getContainer(ctx: ShimContext, id: string | undefined): ContainerRecord {
  const c = findContainer(ctx, requireId(id, "container"));
  if (!c) throw notFound(`container ${id} not found`);
  return c;
}

/** A unique id prefix works as crictl lets it; an ambiguous one matches nothing. */
function byPrefix<T>(map: Map<string, T>, prefix: string): T | undefined {
  if (prefix.length < 4) return undefined;
  const hits = [...map.keys()].filter((k) => k.startsWith(prefix));
  return hits.length === 1 ? map.get(hits[0]!) : undefined;
}

/** Applies a reported exit to a running container's record (and saves it). */
export function observeExit(ctx: ShimContext, c: ContainerRecord): ContainerRecord {
  if (c.state !== "running") return c;
  const dir = ctx.store.containerDir(c.id);
  let exit = readExit(dir);
  if (!exit && !alive(c.monitorPid)) {
    // It may have written its report just before exiting; otherwise the exit code is lost.
    exit = readExit(dir);
    if (!exit) {
      exit = { exitCode: 255, finishedAt: ctx.now(), oomKilled: false };
      c.message = "the container's monitor died, so its exit code is unknown";
    }
  }
  if (!exit) return c;
  c.state = nextState(c, "exit");
  c.exitCode = exit.exitCode;
  c.finishedAt = exit.finishedAt;
  c.reason = exit.oomKilled ? "OOMKilled" : exit.exitCode === 0 ? "Completed" : "Error";
  c.pid = 0;
  ctx.store.saveContainer(c);
  return c;
}

export function matchesLabels(
  labels: Record<string, string>,
  selector: Record<string, string> | undefined,
): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

/**
 * Waits until the container is no longer running, up to `timeoutMs`; true if it exited. The monitor's
 * exit.json is renamed into the container's directory, which wakes the wait; the poll behind it
 * notices a monitor that died without a word, and the deadline.
 */
export async function waitForExit(ctx: ShimContext, c: ContainerRecord, timeoutMs: number): Promise<boolean> {
  const exited = await waitInDir(
    ctx.store.containerDir(c.id),
    ["exit.json"],
    { fallbackMs: Math.min(100, timeoutMs), timeoutMs },
    () => (observeExit(ctx, c).state === "running" ? undefined : true),
  );
  return exited ?? false;
}
