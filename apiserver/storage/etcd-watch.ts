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
// etcd's own clients do. Only etcd can end a watch for good: when the revision to resume from was
// compacted (`compactRevision` in the reply) or it cancels the watch; then `broken` is called once
// and the owner relists (Kubernetes' reflector answers "too old resource version" the same way).

import type { EtcdKv } from "./etcd-kv.js";
import {
  decodeWatchResponse,
  encodeWatchCreateRequest,
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
}

const PATH = "/etcdserverpb.Watch/Watch";

export class EtcdWatch {
  private stream: GrpcStream | undefined;
  private stopped = false;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
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
    const s = this.stream;
    this.stream = undefined;
    s?.close();
  }

  /** `created` is told once: when etcd confirms the watch, or when the stream fails before that. */
  private open(created?: (err: Error | undefined) => void): void {
    let confirmed = false;
    const stream = this.kv.stream(PATH, {
      message: (body) => {
        if (this.stream !== stream) return;
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
    if (res.events.length === 0) return; // created, or a progress notification
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
