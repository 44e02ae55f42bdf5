// The runtime.v1 API for TypeScript: the generated message types and method tables (proto/gen, built
// from api.proto by scripts/gen-proto.mjs) plus the small glue grpc-js needs — a codec per message
// (protobufjs reflection over the generated descriptor), server registration for promise handlers,
// and promise clients over a unix socket.

import * as grpc from "@grpc/grpc-js";
import protobuf from "protobufjs";
import {
  descriptor,
  type ImageServiceClient,
  type ImageServiceHandlers,
  ImageServiceMethods,
  packageName,
  type RuntimeServiceClient,
  type RuntimeServiceHandlers,
  RuntimeServiceMethods,
} from "../../gen/runtime/v1/api.js";

export * from "../../gen/runtime/v1/api.js";

const root = protobuf.Root.fromJSON(descriptor);

// Decoded messages carry every field (proto3 zero values included) so callers need no `?? 0` for
// scalars; absent sub-messages are left undefined rather than null.
const toObjectOptions: protobuf.IConversionOptions = {
  longs: Number,
  enums: Number,
  defaults: true,
  arrays: true,
  objects: true,
};

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
    return out;
  }
  return value;
}

interface Codec {
  serialize(value: object): Buffer;
  deserialize(bytes: Buffer): any;
}

function codec(typeName: string): Codec {
  const type = root.lookupType(typeName);
  return {
    serialize: (value) => Buffer.from(type.encode(type.fromObject(value)).finish()),
    deserialize: (bytes) => dropNulls(type.toObject(type.decode(bytes), toObjectOptions)),
  };
}

type MethodTable = Record<
  string,
  { requestType: string; responseType: string; requestStream: boolean; responseStream: boolean }
>;

function serviceDefinition(service: string, methods: MethodTable): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<any, any>> = {};
  for (const [name, m] of Object.entries(methods)) {
    const req = codec(m.requestType);
    const res = codec(m.responseType);
    def[name] = {
      path: `/${packageName}.${service}/${name}`,
      requestStream: m.requestStream,
      responseStream: m.responseStream,
      requestSerialize: req.serialize,
      requestDeserialize: req.deserialize,
      responseSerialize: res.serialize,
      responseDeserialize: res.deserialize,
      originalName: name[0]!.toLowerCase() + name.slice(1),
    };
  }
  return def;
}

export const runtimeServiceDefinition = serviceDefinition("RuntimeService", RuntimeServiceMethods);
export const imageServiceDefinition = serviceDefinition("ImageService", ImageServiceMethods);

/** Turns an error thrown by a handler into the status the caller sees. */
export type ErrorMapper = (err: unknown) => Partial<grpc.StatusObject>;

function unaryHandlers(handlers: object, methods: MethodTable, mapError: ErrorMapper) {
  const out: grpc.UntypedServiceImplementation = {};
  for (const name of Object.keys(methods)) {
    const fn = (handlers as Record<string, (req: unknown) => Promise<unknown>>)[name]!.bind(handlers);
    out[name] = ((call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      fn(call.request).then(
        (res) => callback(null, res),
        (err) => callback(mapError(err)),
      );
    }) as grpc.handleUnaryCall<unknown, unknown>;
  }
  return out;
}

/** Registers both services on a grpc-js server; every handler error goes through mapError. */
export function addRuntimeServices(
  server: grpc.Server,
  runtime: RuntimeServiceHandlers,
  image: ImageServiceHandlers,
  mapError: ErrorMapper,
): void {
  server.addService(runtimeServiceDefinition, unaryHandlers(runtime, RuntimeServiceMethods, mapError));
  server.addService(imageServiceDefinition, unaryHandlers(image, ImageServiceMethods, mapError));
}

function promiseClient<T>(def: grpc.ServiceDefinition, name: string, address: string): T {
  const Ctor = grpc.makeGenericClientConstructor(def, name);
  const raw = new Ctor(address, grpc.credentials.createInsecure()) as unknown as Record<string, any>;
  const client: Record<string, unknown> = { close: () => (raw as unknown as grpc.Client).close() };
  for (const method of Object.keys(def)) {
    client[method] = (request: object, options: { deadlineMs?: number } = {}) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + (options.deadlineMs ?? 60_000);
        raw[method]!(request, { deadline }, (err: grpc.ServiceError | null, res: unknown) =>
          err ? reject(err) : resolve(res),
        );
      });
  }
  return client as T;
}

/** Clients for a runtime at `address`, e.g. "unix:///run/k8ts/node-1/runtime.sock". */
export function connectRuntime(address: string): {
  runtime: RuntimeServiceClient;
  image: ImageServiceClient;
} {
  return {
    runtime: promiseClient(runtimeServiceDefinition, "RuntimeService", address),
    image: promiseClient(imageServiceDefinition, "ImageService", address),
  };
}

export { type ServiceError, status as GrpcStatus } from "@grpc/grpc-js";
