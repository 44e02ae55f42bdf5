// A patch the server cannot apply, as a value the API server maps to a Status: like Kubernetes'
// patch handler, a malformed patch document is 400 BadRequest, a well-formed patch that does not
// apply to this object (a JSON-patch `test` that fails, a path that is missing) is 422 Invalid.
// Anything else thrown from this folder is a bug.

export type PatchErrorReason = "BadRequest" | "Invalid" | "Conflict";

export class PatchError extends Error {
  constructor(
    message: string,
    readonly reason: PatchErrorReason = "BadRequest",
  ) {
    super(message);
    this.name = "PatchError";
  }
}
