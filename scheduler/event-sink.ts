// Events are best effort and must never crowd out binds: at 1,000 pods/s every Scheduled event is
// one more API write. This sink hands events to the EventRecorder a batch at a time (at most
// `concurrency` writes outstanding) and drops events beyond `capacity` waiting, as Kubernetes'
// event broadcaster drops when its buffer is full. Dropped events are counted.

import type { Pod } from "../api/index.js";
import type { EventRecorder } from "../client/index.js";
import type { EventSink } from "./schedule-one.js";

interface Pending {
  pod: Pod;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export class BoundedEventSink implements EventSink {
  private readonly waiting: Pending[] = [];
  private pumping: Promise<void> | undefined;
  dropped = 0;

  constructor(
    private readonly recorder: Pick<EventRecorder, "event" | "flush">,
    private readonly capacity = 1000,
    private readonly concurrency = 16,
  ) {}

  event(pod: Pod, type: "Normal" | "Warning", reason: string, message: string): void {
    if (this.waiting.length >= this.capacity) {
      this.dropped++;
      return;
    }
    this.waiting.push({ pod, type, reason, message });
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
    });
  }

  /** Resolves when every accepted event has been written (or failed). */
  async flush(): Promise<void> {
    while (this.pumping) await this.pumping;
    await this.recorder.flush();
  }

  private async pump(): Promise<void> {
    while (this.waiting.length > 0) {
      for (const e of this.waiting.splice(0, this.concurrency))
        this.recorder.event(e.pod, e.type, e.reason, e.message);
      await this.recorder.flush();
    }
  }
}
