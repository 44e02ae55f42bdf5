// Expected failures of a CRI call, and the one place where any error becomes a gRPC status.
// Handlers throw ShimError for outcomes a caller should act on (unknown id, duplicate name, bad
// request, wrong state); anything else is a bug or a transient fault and reaches the wire as INTERNAL.

import { type ErrorMapper, GrpcStatus } from "../proto/runtime/v1/index.js";

export type ShimErrorKind =
  | "NotFound"
  | "AlreadyExists"
  | "InvalidArgument"
  | "FailedPrecondition"
  | "DeadlineExceeded"
  | "StartFailed"
  | "Unimplemented";

export class ShimError extends Error {
  constructor(
    readonly kind: ShimErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "ShimError";
  }
}

export const notFound = (message: string) => new ShimError("NotFound", message);
export const alreadyExists = (message: string) => new ShimError("AlreadyExists", message);
export const invalidArgument = (message: string) => new ShimError("InvalidArgument", message);
export const failedPrecondition = (message: string) => new ShimError("FailedPrecondition", message);

const codes: Record<ShimErrorKind, GrpcStatus> = {
  NotFound: GrpcStatus.NOT_FOUND,
  AlreadyExists: GrpcStatus.ALREADY_EXISTS,
  InvalidArgument: GrpcStatus.INVALID_ARGUMENT,
  FailedPrecondition: GrpcStatus.FAILED_PRECONDITION,
  DeadlineExceeded: GrpcStatus.DEADLINE_EXCEEDED,
  // containerd reports a failed start as an unknown error carrying the runtime's message.
  StartFailed: GrpcStatus.UNKNOWN,
  Unimplemented: GrpcStatus.UNIMPLEMENTED,
};

export const toGrpcStatus: ErrorMapper = (err) => {
  if (err instanceof ShimError) return { code: codes[err.kind], details: err.message };
  return { code: GrpcStatus.INTERNAL, details: err instanceof Error ? err.message : String(err) };
};
