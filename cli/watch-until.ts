// Waiting for one object to reach a condition the way kubectl's informer-based waits do (delete
// --wait, rollout status, drain): list it by name, check, watch from the list's resourceVersion and
// check on every event; relist when the stream ends or its history is gone (410). No polling.

import type { KubeObject, ResourceType } from "../api/index.js";
import { isGone, type RestClient } from "../client/index.js";
import { objectLabel } from "./resources.js";

export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";
}

export interface WaitTarget {
  resource: ResourceType;
  namespace?: string;
  name: string;
}

/** Resolves with the object that satisfied `done` (undefined when "done" meant gone). */
export async function watchUntil<T extends KubeObject>(
  client: RestClient,
  target: WaitTarget,
  done: (obj: T | undefined) => boolean,
  opts: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<T | undefined> {
  const signals = [opts.signal, opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined];
  const signal = AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
  const where = {
    namespace: target.resource.namespaced ? target.namespace : undefined,
    fieldSelector: `metadata.name=${target.name}`,
  };
  const timedOut = () =>
    new WaitTimeoutError(
      `timed out waiting for the condition on ${objectLabel(target.resource, target.name)}`,
    );
  while (!signal.aborted) {
    let list: Awaited<ReturnType<typeof client.list<T>>>;
    try {
      list = await client.list<T>(target.resource, { ...where, signal });
    } catch (err) {
      if (signal.aborted) break;
      throw err;
    }
    let obj: T | undefined = list.items[0];
    if (done(obj)) return obj;
    try {
      const events = client.watch<T>(target.resource, {
        ...where,
        resourceVersion: list.metadata.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: 300,
        signal,
      });
      for await (const ev of events) {
        if (ev.type === "ERROR") break;
        if (ev.type === "BOOKMARK") continue;
        obj = ev.type === "DELETED" ? undefined : ev.object;
        if (done(obj)) return obj;
      }
    } catch (err) {
      if (!isGone(err) && !signal.aborted) throw err;
    }
  }
  if (opts.signal?.aborted) throw new WaitTimeoutError("interrupted");
  throw timedOut();
}

/** Gone, or replaced by a new object of the same name (another uid). */
export const goneOrReplaced =
  (uid: string | undefined) =>
  (obj: KubeObject | undefined): boolean =>
    obj === undefined || (uid !== undefined && obj.metadata.uid !== uid);
