// What every CRI handler gets: the records, the images, the backend, and a clock.

import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Backend } from "./backends/backend.js";
import { ImageStore } from "./images/image-store.js";
import { recover } from "./recover.js";
import { Store } from "./store.js";
import type { StreamingServer } from "./streaming/server.js";

export interface ShimContext {
  root: string;
  shimVersion: string;
  backend: Backend;
  store: Store;
  images: ImageStore;
  /** Serves interactive exec streams; absent until the server starts it. */
  streaming?: StreamingServer;
  /** Nanoseconds since the Unix epoch (CRI's unit for times). */
  now(): number;
}

export const systemNow = (): number => Date.now() * 1_000_000;

/** Opens the shim's state under `root` and brings it up to date with the disk (recover.ts). */
export function openContext(options: {
  root: string;
  backend: Backend;
  shimVersion?: string;
  now?: () => number;
}): ShimContext {
  const root = resolve(options.root);
  mkdirSync(root, { recursive: true });
  const context: ShimContext = {
    root,
    shimVersion: options.shimVersion ?? "0.1.0",
    backend: options.backend,
    store: new Store(root),
    images: new ImageStore(root),
    now: options.now ?? systemNow,
  };
  recover(context);
  return context;
}
