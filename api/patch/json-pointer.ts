// JSON Pointer (RFC 6901), the `path` and `from` of a JSON patch operation: "" is the whole
// document, "/a/b" walks members, "~1" stands for "/" and "~0" for "~" inside a token.

import { PatchError } from "./patch-error.js";

export type JsonPointer = readonly string[];

export function parseJsonPointer(text: string): JsonPointer {
  if (text === "") return [];
  if (!text.startsWith("/")) {
    throw new PatchError(`invalid JSON pointer ${JSON.stringify(text)}: it must be empty or start with "/"`);
  }
  return text
    .slice(1)
    .split("/")
    .map((token) => {
      if (/~(?![01])/.test(token)) {
        throw new PatchError(`invalid JSON pointer ${JSON.stringify(text)}: "~" must be followed by 0 or 1`);
      }
      return token.replaceAll("~1", "/").replaceAll("~0", "~");
    });
}

export function formatJsonPointer(pointer: JsonPointer): string {
  return pointer.map((t) => `/${t.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/** An array index token: "0" or digits without a leading zero (RFC 6901 §4); otherwise undefined. */
export function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
