// The basic work queue, after client-go's workqueue.Type.
//
// Contract:
// - Items are keys compared by identity (strings in practice: "namespace/name").
// - Dedupe: adding an item that is already waiting is a no-op. Many events for one object between
//   two reconciles become one piece of work, which is why reconcilers must be level-triggered.
// - An item is handed to at most one worker at a time. Adding an item that is being processed marks
//   it dirty; `done(item)` then puts it back at the end of the queue, so the change is not lost and
//   the same key is never processed twice concurrently.
// - Every `get()` that returns an item must be followed by exactly one `done(item)`.
// - Order is FIFO among distinct waiting items.
// - After `shutDown()`, adds are ignored; `get()` still hands out what is waiting and then resolves
//   `undefined` to every caller, which is the workers' signal to exit.

export interface Queue<T> {
  add(item: T): void;
  /** Waits for the next item; `undefined` once shut down and empty. */
  get(): Promise<T | undefined>;
  done(item: T): void;
  /** Items waiting (not counting those being processed). */
  len(): number;
  shutDown(): void;
  /** Shuts down and resolves once every item handed out has been marked done. */
  shutDownWithDrain(): Promise<void>;
  shuttingDown(): boolean;
}

export class WorkQueue<T> implements Queue<T> {
  private queue: T[] = [];
  /** Items that need processing: waiting in `queue`, or re-added while being processed. */
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly getters: ((item: T | undefined) => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private stopping = false;

  add(item: T): void {
    if (this.stopping || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.push(item);
  }

  get(): Promise<T | undefined> {
    const item = this.queue.shift();
    if (item !== undefined) return Promise.resolve(this.take(item));
    if (this.stopping) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  done(item: T): void {
    if (!this.processing.delete(item)) return;
    if (this.dirty.has(item)) this.push(item);
    if (this.processing.size === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  len(): number {
    return this.queue.length;
  }

  shutDown(): void {
    this.stopping = true;
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  private push(item: T): void {
    const getter = this.getters.shift();
    if (getter) getter(this.take(item));
    else this.queue.push(item);
  }

  private take(item: T): T {
    this.dirty.delete(item);
    this.processing.add(item);
    return item;
  }
}
