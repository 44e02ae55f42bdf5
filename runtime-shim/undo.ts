// Undo steps for calls that build something in several steps (RunPodSandbox, CreateContainer): each
// step registers how to take itself back, and a failure part-way runs them newest first, so a failed
// call leaves nothing behind.

export class Undo {
  private readonly steps: (() => unknown)[] = [];

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  /** Runs `body`; if it throws, runs the registered steps in reverse and rethrows the original error. */
  async run<T>(body: (undo: Undo) => Promise<T>): Promise<T> {
    try {
      return await body(this);
    } catch (err) {
      for (const step of this.steps.reverse()) {
        try {
          await step();
        } catch {
          // Best effort: the original error is what the caller needs to see.
        }
      }
      throw err;
    }
  }
}
