// Per-attempt scratch space, after the kube-scheduler's CycleState: plugins share data only through
// it (PreFilter computes the pod's requests once, Filter reads them for every node). A fresh state is
// made for every scheduling attempt, so nothing leaks from one pod to the next.

export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter is not run this attempt. */
  readonly skipFilter = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score is not run this attempt. */
  readonly skipScore = new Set<string>();

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  /** Throws when absent: a plugin reading a key its own PreFilter did not write is a bug. */
  read<T>(key: string): T {
    const v = this.data.get(key);
    if (v === undefined) throw new Error(`cycle state has no "${key}" (did its PreFilter run?)`);
    return v as T;
  }

  has(key: string): boolean {
    return this.data.has(key);
  }
}
