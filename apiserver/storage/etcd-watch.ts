// One etcd watch over a key range, on a Watch stream of its own (etcdserverpb.Watch, a
// bidirectional gRPC stream): one WatchCreateRequest, then WatchResponses carrying events in
// revision order, all events of one revision in one response.
//
// The etcd3 client's watcher converted every response through proto-loader's generic object
// mapping (64-bit integers as strings, keys and values as copied Buffers) before our own decode;
// here a response is read once, straight into the values the watch cache keeps.
//
// A broken connection (etcd restarted, a network error) is not the watcher's business: the watch
// dials again after a backoff and resumes from the revision after the last one it delivered, as
// etcd's own clients do. A connection that goes silent without breaking (etcd frozen, a peer gone
// behind a partition: no FIN ever comes) is found by a keepalive: after `keepaliveMs` without a
// message the watch asks etcd for a progress report, and if nothing at all arrives within
// `keepaliveTimeoutMs` the connection is dropped and the watch resumes on a new one (the gRPC
// keepalive kube-apiserver's etcd client runs, 30 s and 10 s, done with etcd's own request). Only etcd can end a watch for good: when the revision to resume from was
// compacted (`compactRevision` in the reply) or it cancels the watch; then `broken` is called once
// and the owner relists (Kubernetes' reflector answers "too old resource version" the same way).

import type { EtcdKv } from "./etcd-kv.js";
import {
  decodeWatchResponse,
  encodeWatchCreateRequest,
  encodeWatchProgressRequest,
  type WatchEvent,
  type WatchResponse,
} from "./etcd-wire.js";
import type { GrpcStream } from "./grpc-stream.js";
import { CANCELLED } from "./grpc-stream.js";
import type { GrpcError } from "./grpc-unary.js";

export interface WatchSink {
  /** The events of one or more revisions, oldest first. */
  events(evs: WatchEvent[]): void;
  /** etcd ended the watch (history compacted, or cancelled): the owner must relist. */
  broken(err: Error): void;
  /**
   * A progress report: every event up to `revision` has been delivered (etcd answers a progress
   * request only for a watch that has caught up).
   */
  progress?(revision: number): void;
}

export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compactRevision: number,
  ) {
    super(`required revision ${requested} has been compacted (compact revision ${compactRevision})`);
  }
}

export interface EtcdWatchOptions {
  /** First wait before dialling again; doubles on each failure up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Silence after which etcd is asked for a progress report (30 s). */
  keepaliveMs?: number;
  /** How long that report may take before the connection counts as dead (10 s). */
  keepaliveTimeoutMs?: number;
}

const PATH = "/etcdserverpb.Watch/Watch";

export class EtcdWatch {
  private stream: GrpcStream | undefined;
  private stopped = false;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private keepalive: NodeJS.Timeout | undefined;
  /** When the current stream last brought a message, and when a progress report was asked for. */
  private heardAt = 0;
  private probedAt = 0;
  /** The first revision not yet delivered: where a new stream resumes. */
  private next: number;

  private constructor(
    private readonly kv: EtcdKv,
    private readonly key: string,
    private readonly rangeEnd: string,
    startRevision: number,
    private readonly sink: WatchSink,
    private readonly opts: Required<EtcdWatchOptions>,
  ) {
    this.next = startRevision;
    this.retryMs = opts.retryMs;
  }

  /**
   * Starts watching [key, rangeEnd) from `startRevision` (inclusive). Resolves once etcd has
   * created the watch; rejects if the first stream fails before that (etcd unreachable).
   */
  static start(
    kv: EtcdKv,
    range: { key: string; rangeEnd: string; startRevision: number },
    sink: WatchSink,
    opts: EtcdWatchOptions = {},
  ): Promise<EtcdWatch> {
    const w = new EtcdWatch(kv, range.key, range.rangeEnd, range.startRevision, sink, {
      retryMs: opts.retryMs ?? 100,
      maxRetryMs: opts.maxRetryMs ?? 2000,
      keepaliveMs: opts.keepaliveMs ?? 30_000,
      keepaliveTimeoutMs: opts.keepaliveTimeoutMs ?? 10_000,
    });
    return new Promise((resolve, reject) => {
      w.open((err) => {
        if (err) {
          w.stop();
          reject(err);
        } else resolve(w);
      });
    });
  }

  /** Cancels the watch; no handler is called afterwards. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.keepalive);
    const s = this.stream;
    this.stream = undefined;
    s?.close();
  }

  /**
   * Asks etcd where the watch stands; the answer comes as `progress` (when the watch has caught
   * up: etcd does not answer for one still replaying history). Without an open stream, nothing.
   */
  requestProgress(): void {
    this.stream?.send(encodeWatchProgressRequest());
  }

  /** `created` is told once: when etcd confirms the watch, or when the stream fails before that. */
  private open(created?: (err: Error | undefined) => void): void {
    let confirmed = false;
    const stream = this.kv.stream(PATH, {
      message: (body) => {
        if (this.stream !== stream) return;
        this.heardAt = performance.now();
        const res = decodeWatchResponse(body);
        if (res.created && !confirmed) {
          confirmed = true;
          this.retryMs = this.opts.retryMs;
          created?.(undefined);
        }
        this.receive(res);
      },
      end: (err) => {
        if (this.stream !== stream) return;
        this.stream = undefined;
        if (!confirmed && created) {
          created(err ?? new Error("the watch stream ended before etcd created the watch"));
          return;
        }
        this.redial(err);
      },
    });
    this.stream = stream;
    stream.send(
      encodeWatchCreateRequest({ key: this.key, rangeEnd: this.rangeEnd, startRevision: this.next }),
    );
    this.watchSilence(stream);
  }

  /** Checks now and then that the stream still hears from etcd (see the keepalive above). */
  private watchSilence(stream: GrpcStream): void {
    const { keepaliveMs, keepaliveTimeoutMs } = this.opts;
    this.heardAt = performance.now();
    this.probedAt = 0;
    clearInterval(this.keepalive);
    this.keepalive = setInterval(
      () => {
        if (this.stream !== stream) {
          clearInterval(this.keepalive);
          return;
        }
        const now = performance.now();
        if (this.probedAt > this.heardAt && now - this.probedAt >= keepaliveTimeoutMs) {
          clearInterval(this.keepalive);
          stream.abandon(`etcd did not answer a progress request within ${keepaliveTimeoutMs} ms`);
        } else if (this.probedAt <= this.heardAt && now - this.heardAt >= keepaliveMs) {
          this.probedAt = now;
          stream.send(encodeWatchProgressRequest());
        }
      },
      Math.max(10, Math.min(keepaliveMs, keepaliveTimeoutMs) / 4),
    );
    this.keepalive.unref();
  }

  private receive(res: WatchResponse): void {
    if (res.canceled) {
      const stream = this.stream;
      this.stopped = true;
      this.stream = undefined;
      stream?.close();
      this.sink.broken(
        res.compactRevision > 0
          ? new CompactedError(this.next, res.compactRevision)
          : new Error(`etcd cancelled the watch: ${res.cancelReason || "no reason given"}`),
      );
      return;
    }
    if (res.events.length === 0) {
      // A progress report (not the create confirmation, whose revision says nothing of delivery).
      if (!res.created && res.revision > 0) this.sink.progress?.(res.revision);
      return;
    }
    this.next = res.events[res.events.length - 1]!.kv.modRevision + 1;
    this.sink.events(res.events);
  }

  private redial(err: GrpcError | undefined): void {
    if (this.stopped || err?.code === CANCELLED) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.opts.maxRetryMs);
    this.timer = setTimeout(() => {
      if (!this.stopped) this.open();
    }, wait);
  }
}
