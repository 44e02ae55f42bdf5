// Reads a request body into one Buffer, up to a limit: the resource paths' body reader (express'
// body parser stays for the other routes and for compressed bodies). Failures carry the same
// `type` and `status` as the body parser's, so errors.ts maps both readers' errors in one place:
// too large is 413, a body that does not match its Content-Length or breaks off is 400.

import type { IncomingMessage } from "node:http";

export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** For a body over the limit: the limit in bytes (the body parser's errors carry it too). */
    readonly limit?: number,
  ) {
    super(message);
  }
}

function tooLarge(limit: number): BodyError {
  return new BodyError(413, "entity.too.large", "request entity too large", limit);
}

/** True when the request has a body (a Content-Length other than 0, or Transfer-Encoding). */
function hasBody(req: IncomingMessage): boolean {
  const len = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (len !== undefined && len !== "0");
}

/** Resolves with the body (undefined when there is none); rejects with a BodyError. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (!hasBody(req)) return Promise.resolve(undefined);
  const header = req.headers["content-length"];
  const declared = header === undefined ? -1 : Number(header);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failure: BodyError | undefined;
    const onData = (chunk: Buffer) => {
      if (failure) return; // reading off the rest of a refused body
      size += chunk.length;
      if (size > limit) failure = tooLarge(limit);
      else chunks.push(chunk);
    };
    const onEnd = () => {
      req.off("data", onData);
      req.off("close", onClose);
      if (failure) reject(failure);
      else if (declared >= 0 && size !== declared)
        reject(new BodyError(400, "request.size.invalid", "request size did not match content length"));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onClose = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      reject(failure ?? new BodyError(400, "request.aborted", "request aborted"));
    };
    // A declared size over the limit is refused without keeping any of it; the body is still read
    // off, so the answer is not sent while the client is writing.
    if (declared > limit) failure = tooLarge(limit);
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("close", onClose);
  });
}
