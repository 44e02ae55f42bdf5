import assert from "node:assert/strict";
import { test } from "node:test";
import { statusFor } from "./errors.js";
import { BodyError } from "./read-body.js";

test("a body over the limit is 413 and says the limit the server was started with", () => {
  const s = statusFor(new BodyError(413, "entity.too.large", "request entity too large", 512 * 1024));
  assert.equal(s.code, 413);
  assert.equal(s.reason, "RequestEntityTooLarge");
  assert.equal(s.message, "the request body is too large (limit 512 KiB)");
  // express' body parser raises the same shape (an http-errors object with type and limit).
  const parser = Object.assign(new Error("request entity too large"), {
    status: 413,
    type: "entity.too.large",
    limit: 3 * 1024 * 1024,
  });
  assert.equal(statusFor(parser).message, "the request body is too large (limit 3 MiB)");
  const odd = statusFor(new BodyError(413, "entity.too.large", "too large", 1000));
  assert.equal(odd.message, "the request body is too large (limit 1000 bytes)");
});
