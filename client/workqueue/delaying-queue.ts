// The delaying layer, after client-go's DelayingInterface.
//
// Contract (in addition to queue.ts):
// - `addAfter(item, ms)` adds the item once `ms` has passed on the injected clock; `ms <= 0` adds now.
// - An item waiting for a delay keeps only its earliest ready time: a second `addAfter` with a later
//   time does not push it back, an earlier one brings it forward.
// - A delayed item is an ordinary `add` when its time comes, so it dedupes with everything else.
// - `shutDown()` drops every pending delay and disarms the timer.

import { type Clock, realClock } from "../clock.js";
import { type Queue, WorkQueue } from "./queue.js";

export interface DelayingQueue<T> extends Queue<T> {
  addAfter(item: T, ms: number): void;
}

interface Entry<T> {
  item: T;
  at: number;
}

export class DelayingWorkQueue<T> extends WorkQueue<T> implements DelayingQueue<T> {
  /** The authoritative ready time of each waiting item. */
  private readonly readyAt = new Map<T, number>();
  /** Min-heap by ready time; entries whose time no longer matches `readyAt` are stale and skipped. */
  private readonly heap: Entry<T>[] = [];
  private cancelTimer: (() => void) | undefined;
  private armedAt = Number.POSITIVE_INFINITY;

  constructor(protected readonly clock: Clock = realClock) {
    super();
  }

  addAfter(item: T, ms: number): void {
    if (this.shuttingDown()) return;
    if (ms <= 0) {
      this.add(item);
      return;
    }
    const at = this.clock.now() + ms;
    const existing = this.readyAt.get(item);
    if (existing !== undefined && existing <= at) return;
    this.readyAt.set(item, at);
    heapPush(this.heap, { item, at });
    if (at < this.armedAt) this.arm(at);
  }

  /** Items waiting for their delay (not yet in the queue). */
  waitingLen(): number {
    return this.readyAt.size;
  }

  override shutDown(): void {
    super.shutDown();
    this.disarm();
    this.readyAt.clear();
    this.heap.length = 0;
  }

  private arm(at: number): void {
    this.disarm();
    this.armedAt = at;
    this.cancelTimer = this.clock.setTimer(at - this.clock.now(), () => this.fire());
  }

  private disarm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  private fire(): void {
    this.cancelTimer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    for (;;) {
      const top = this.heap[0];
      if (!top) return;
      if (this.readyAt.get(top.item) !== top.at) {
        heapPop(this.heap);
        continue;
      }
      if (top.at > now) {
        this.arm(top.at);
        return;
      }
      heapPop(this.heap);
      this.readyAt.delete(top.item);
      this.add(top.item);
    }
  }
}

function heapPush<T>(h: Entry<T>[], e: Entry<T>): void {
  h.push(e);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p]!.at <= h[i]!.at) break;
    [h[p], h[i]] = [h[i]!, h[p]!];
    i = p;
  }
}

function heapPop<T>(h: Entry<T>[]): void {
  const last = h.pop();
  if (!last || h.length === 0) return;
  h[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && h[l]!.at < h[m]!.at) m = l;
    if (r < h.length && h[r]!.at < h[m]!.at) m = r;
    if (m === i) return;
    [h[m], h[i]] = [h[i]!, h[m]!];
    i = m;
  }
}
