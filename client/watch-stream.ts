// Decoding a Kubernetes watch response: a chunked body of JSON objects separated by newlines
// (`{"type":"ADDED","object":{...}}\n`), where chunk boundaries fall anywhere, even inside a UTF-8
// character. ERROR events carry a Status (410 Expired when the resourceVersion is too old) and are
// handed to the caller as values: what to do about them is the caller's decision.

import type { KubeObject, Status } from "../api/index.js";

/** A watch event whose ERROR case is typed as the Status it carries. */
export type WatchEventOf<T extends KubeObject = KubeObject> =
  | { type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK"; object: T }
  | { type: "ERROR"; object: Status };

const TYPES = new Set(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]);

export class WatchDecodeError extends Error {
  override readonly name = "WatchDecodeError";
}

/** Splits a byte stream into lines and decodes each non-empty line as one watch event. */
export async function* decodeWatchStream<T extends KubeObject>(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<WatchEventOf<T>> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of chunks) {
    buffered += decoder.decode(chunk, { stream: true });
    let nl = buffered.indexOf("\n");
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() !== "") yield parseEvent<T>(line);
      nl = buffered.indexOf("\n");
    }
  }
  buffered += decoder.decode();
  if (buffered.trim() !== "") yield parseEvent<T>(buffered);
}

function parseEvent<T extends KubeObject>(line: string): WatchEventOf<T> {
  let ev: { type?: unknown; object?: unknown };
  try {
    ev = JSON.parse(line);
  } catch {
    throw new WatchDecodeError(`watch: undecodable event: ${line.slice(0, 120)}`);
  }
  if (typeof ev?.type !== "string" || !TYPES.has(ev.type) || typeof ev.object !== "object" || !ev.object) {
    throw new WatchDecodeError(`watch: not a watch event: ${line.slice(0, 120)}`);
  }
  return ev as WatchEventOf<T>;
}
