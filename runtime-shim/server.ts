// The runtime-shim server: the CRI RuntimeService and ImageService over gRPC on a unix socket.

import { chmodSync, lstatSync, mkdirSync, unlinkSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { addRuntimeServices } from "../proto/runtime/v1/index.js";
import type { Backend } from "./backends/backend.js";
import { type ShimContext, systemNow } from "./context.js";
import { toGrpcStatus } from "./errors.js";
import { ImageStore } from "./images/image-store.js";
import { ShimMetrics, serveMetrics } from "./metrics.js";
import { MonitorPool } from "./monitor/launcher.js";
import { recover } from "./recover.js";
import { imageService, runtimeService } from "./services.js";
import { Store } from "./store.js";

export interface ShimOptions {
  /** "unix:///run/k8ts/node-1/runtime.sock" (a bare absolute path also works). */
  listen: string;
  /** Where records, container directories and images live. */
  root: string;
  backend: Backend;
  shimVersion?: string;
  now?: () => number;
  /** host:port for /metrics and /healthz; none when absent. */
  metricsAddress?: string;
}

export interface RunningShim {
  /** The address clients dial, "unix:///...". */
  address: string;
  context: ShimContext;
  /** The port /metrics is served on, when asked for. */
  metricsPort?: number;
  close(): Promise<void>;
}

function socketPath(listen: string): string {
  const path = listen.startsWith("unix://") ? listen.slice("unix://".length) : listen;
  if (!path.startsWith("/")) throw new Error(`--listen must be unix:///absolute/path, got "${listen}"`);
  return path;
}

export async function startShim(options: ShimOptions): Promise<RunningShim> {
  const root = resolve(options.root);
  mkdirSync(root, { recursive: true });
  const context: ShimContext = {
    root,
    shimVersion: options.shimVersion ?? "0.1.0",
    backend: options.backend,
    store: new Store(root),
    images: new ImageStore(root),
    monitors: new MonitorPool(),
    now: options.now ?? systemNow,
  };
  recover(context);
  context.monitors.warm();

  const path = socketPath(options.listen);
  mkdirSync(dirname(path), { recursive: true });
  try {
    // A socket file left by a shim that died; binding fails while it exists.
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {}
  const server = new grpc.Server();
  const metrics = new ShimMetrics();
  addRuntimeServices(
    server,
    metrics.instrument(runtimeService(context)),
    metrics.instrument(imageService(context)),
    toGrpcStatus,
  );
  const address = `unix://${path}`;
  await new Promise<void>((ok, fail) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err) => (err ? fail(err) : ok())),
  );
  chmodSync(path, 0o660);
  const side = options.metricsAddress ? await serveMetrics(metrics, options.metricsAddress) : undefined;
  return {
    address,
    context,
    metricsPort: side?.port,
    close: async () => {
      side?.server.close();
      await context.monitors.close();
      await new Promise<void>((ok) => {
        server.tryShutdown(() => ok());
      });
    },
  };
}
