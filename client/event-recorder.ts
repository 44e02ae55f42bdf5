// Recording core/v1 Events about objects, aggregated as Kubernetes' event correlator does: the same
// (object, type, reason, message, source) within the aggregation window updates one Event's count
// and lastTimestamp instead of creating a new one, so `kubectl describe` says "x5 over 2m".
// Recording never blocks or throws: events are best-effort, written in the background.

import type { KubeObject } from "../api/index.js";
import { type Clock, realClock } from "./clock.js";
import { isNotFound } from "./errors.js";
import type { RestClient } from "./rest.js";

export type EventType = "Normal" | "Warning";

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventRecorderOptions {
  clock?: Clock;
  /** How long a repeated event keeps counting on the same Event (Kubernetes: 10 minutes). */
  aggregateWindowMs?: number;
  /** Remembered series; the oldest is forgotten beyond this. */
  maxSeries?: number;
  /** Writes in flight at once (default 16) and waiting (default 1000); beyond that events are dropped. */
  maxInFlight?: number;
  maxQueued?: number;
  onError?: (err: unknown) => void;
}

interface Series {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  lastSeenMs: number;
  /** Writes of one series are serialized. */
  chain: Promise<void>;
}

const EVENTS = { group: "", version: "v1", plural: "events", namespaced: true } as const;
const MAX_MESSAGE = 1024;

function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * Kubernetes names an Event `<object>.<unix nanoseconds in hex>`. Milliseconds times a million do
 * not fit a double exactly (the low bits round away), so here: milliseconds in hex, then 32 random
 * bits, which keeps many events about one object within one millisecond from colliding.
 */
function eventNameSuffix(nowMs: number): string {
  const random = Math.floor(Math.random() * 0x1_0000_0000);
  return `${nowMs.toString(16)}${random.toString(16).padStart(8, "0")}`;
}

export class EventRecorder {
  private readonly series = new Map<string, Series>();
  private readonly pending = new Set<Promise<void>>();
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly maxSeries: number;
  private inFlight = 0;
  /** Accepted events whose write has not started yet (waiting for a slot or their series). */
  private queued = 0;
  private readonly waiting: (() => void)[] = [];
  /** Events dropped because too many were waiting to be written (as client-go's broadcaster drops). */
  dropped = 0;

  constructor(
    private readonly client: RestClient,
    private readonly source: EventSource,
    private readonly opts: EventRecorderOptions = {},
  ) {
    this.clock = opts.clock ?? realClock;
    this.windowMs = opts.aggregateWindowMs ?? 10 * 60_000;
    this.maxSeries = opts.maxSeries ?? 4096;
  }

  /** Records that `reason` happened to `obj`. Returns at once; the write happens in the background. */
  event(obj: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    // Counted when accepted, not when the write starts, so a burst within one tick is bounded too.
    if (this.queued >= (this.opts.maxQueued ?? 1000)) {
      this.dropped++;
      return;
    }
    const msg = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message;
    const m = obj.metadata;
    const involved = {
      kind: obj.kind,
      namespace: m.namespace,
      name: m.name,
      uid: m.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: m.resourceVersion,
      ...(fieldPath ? { fieldPath } : {}),
    };
    const key = JSON.stringify([
      involved.kind,
      involved.namespace,
      involved.name,
      involved.uid,
      fieldPath,
      type,
      reason,
      msg,
    ]);
    const now = this.clock.now();
    let s = this.series.get(key);
    if (s && now - s.lastSeenMs > this.windowMs) {
      this.series.delete(key);
      s = undefined;
    }
    const nowTs = rfc3339(now);
    if (!s) {
      const namespace = m.namespace || "default";
      s = {
        name: `${m.name ?? "unknown"}.${eventNameSuffix(now)}`,
        namespace,
        count: 0,
        firstTimestamp: nowTs,
        lastSeenMs: now,
        chain: Promise.resolve(),
      };
      this.series.set(key, s);
      if (this.series.size > this.maxSeries) this.series.delete(this.series.keys().next().value!);
    }
    const series = s;
    series.count++;
    series.lastSeenMs = now;
    const count = series.count;
    const body = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: series.name, namespace: series.namespace },
      involvedObject: involved,
      reason,
      message: msg,
      type,
      source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
      firstTimestamp: series.firstTimestamp,
      lastTimestamp: nowTs,
      count,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? "",
    };
    const write = async () => {
      if (count === 1) {
        await this.client.createOnly(EVENTS, body, { namespace: series.namespace });
        return;
      }
      try {
        await this.client.patch(
          EVENTS,
          series.name,
          "merge",
          { count, lastTimestamp: nowTs, message: msg },
          { namespace: series.namespace },
        );
      } catch (err) {
        // The Event was deleted (or never made it): start it again with the count so far.
        if (!isNotFound(err)) throw err;
        await this.client.createOnly(EVENTS, body, { namespace: series.namespace });
      }
    };
    this.queued++;
    const p = series.chain.then(() => this.limited(write)).catch((err) => this.opts.onError?.(err));
    series.chain = p;
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Runs `fn` when fewer than maxInFlight writes are running: a burst cannot flood the API server. */
  private async limited(fn: () => Promise<void>): Promise<void> {
    // A finishing write hands its slot straight to the longest waiter, so none can slip in between.
    if (this.inFlight >= (this.opts.maxInFlight ?? 16)) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.inFlight++;
    }
    this.queued--;
    try {
      await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  /** Events accepted whose write has not finished yet. */
  get pendingWrites(): number {
    return this.pending.size;
  }

  /** Resolves when every event recorded so far has been written (or failed). */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
