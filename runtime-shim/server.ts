// The runtime-shim server: the CRI RuntimeService and ImageService over gRPC on a unix socket.

import { chmodSync, lstatSync, mkdirSync, unlinkSync } from "node:fs";
import { connect } from "node:net";
import { dirname } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { addRuntimeServices } from "../proto/runtime/v1/index.js";
import type { Backend } from "./backends/backend.js";
import { openContext, type ShimContext } from "./context.js";
import { toGrpcStatus } from "./errors.js";
import { ShimMetrics, serveMetrics } from "./metrics.js";
import { imageService, runtimeService } from "./services.js";
import { StreamingServer } from "./streaming/server.js";

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
  /** host:port of the exec streaming server (default 127.0.0.1 on a free port). */
  streamingAddress?: string;
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

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startShim(options: ShimOptions): Promise<RunningShim> {
  const context = openContext(options);

  const path = socketPath(options.listen);
  mkdirSync(dirname(path), { recursive: true });
  if (await answers(path)) throw new Error(`another runtime is already serving on ${path}`);
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
  context.streaming = await StreamingServer.start(options.streamingAddress);
  const side = options.metricsAddress ? await serveMetrics(metrics, options.metricsAddress) : undefined;
  return {
    address,
    context,
    metricsPort: side?.port,
    close: async () => {
      side?.server.close();
      await context.streaming?.close();
      await new Promise<void>((ok) => {
        server.tryShutdown(() => ok());
      });
    },
  };
}
