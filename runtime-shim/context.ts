// What every CRI handler gets: the records, the images, the backend, and a clock.

import type { Backend } from "./backends/backend.js";
import type { ImageStore } from "./images/image-store.js";
import type { MonitorPool } from "./monitor/launcher.js";
import type { Store } from "./store.js";

export interface ShimContext {
  root: string;
  shimVersion: string;
  backend: Backend;
  store: Store;
  images: ImageStore;
  monitors: MonitorPool;
  /** Nanoseconds since the Unix epoch (CRI's unit for times). */
  now(): number;
}

export const systemNow = (): number => Date.now() * 1_000_000;
