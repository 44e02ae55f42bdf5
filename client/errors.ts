// What a failed API call looks like to callers: one error class carrying the server's Status (or a
// synthetic one when the server could not be reached), and predicates in the style of apimachinery's
// errors.IsNotFound. Everything in client/ that fails on the wire throws an ApiError.

import type { Status, StatusReason } from "../api/index.js";

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: Status;
  /** HTTP status code; 0 when no response arrived (see `network`). */
  readonly code: number;
  readonly reason: StatusReason | undefined;
  /** True when the request never got an HTTP answer (refused, reset, DNS, timeout). */
  readonly network: boolean;

  constructor(status: Status, opts: { network?: boolean; cause?: unknown } = {}) {
    super(status.message || `${status.reason || "request failed"} (${status.code})`, { cause: opts.cause });
    this.status = status;
    this.code = status.code;
    this.reason = status.reason;
    this.network = opts.network ?? false;
  }
}

function failure(code: number, reason: StatusReason, message: string): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", code, reason, message };
}

/** Builds an ApiError from an HTTP error response body (a Status if the server speaks Kubernetes). */
export function errorFromResponse(httpStatus: number, body: string, what: string): ApiError {
  try {
    const parsed = JSON.parse(body) as Partial<Status>;
    if (parsed && parsed.kind === "Status") {
      return new ApiError({ ...failure(httpStatus, "", ""), ...parsed } as Status);
    }
  } catch {
    // not JSON: fall through to a synthetic Status
  }
  const text = body.trim().slice(0, 200);
  return new ApiError(
    failure(httpStatus, reasonForCode(httpStatus), `${what}: ${httpStatus}${text ? ` ${text}` : ""}`),
  );
}

/** A synthetic Status for a request that got no HTTP response at all. */
export function networkError(what: string, cause: unknown): ApiError {
  const detail = cause instanceof Error ? describeCause(cause) : String(cause);
  return new ApiError(failure(0, "ServiceUnavailable", `${what}: ${detail}`), { network: true, cause });
}

function describeCause(err: Error): string {
  // fetch (undici) wraps the socket error: "fetch failed" with cause { code: "ECONNREFUSED" };
  // node:http's own message already names the code ("connect ECONNREFUSED 127.0.0.1:6443").
  const inner = (err as { cause?: { code?: string; message?: string } }).cause;
  return inner?.code ?? inner?.message ?? err.message;
}

/** Kubernetes' reason for a bare HTTP code, as apimachinery guesses it for non-Status bodies. */
function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 406:
      return "NotAcceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "RequestEntityTooLarge";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "ServerTimeout";
    default:
      return "";
  }
}

function apiError(err: unknown): ApiError | undefined {
  return err instanceof ApiError ? err : undefined;
}

export const isNotFound = (err: unknown): boolean =>
  apiError(err)?.reason === "NotFound" || apiError(err)?.code === 404;

/** 409 from a stale resourceVersion (compare-and-swap lost), not a duplicate create. */
export const isConflict = (err: unknown): boolean =>
  apiError(err)?.reason === "Conflict" || (apiError(err)?.code === 409 && !isAlreadyExists(err));

export const isAlreadyExists = (err: unknown): boolean => apiError(err)?.reason === "AlreadyExists";

/** 410: the requested resourceVersion is older than the server's history ("Expired" or "Gone"). */
export const isGone = (err: unknown): boolean =>
  apiError(err)?.code === 410 || apiError(err)?.reason === "Expired" || apiError(err)?.reason === "Gone";

export const isInvalid = (err: unknown): boolean => apiError(err)?.reason === "Invalid";

/** The API server could not be reached at all. */
export const isNetworkError = (err: unknown): boolean => apiError(err)?.network === true;
