// Creating an object over plain HTTP in a test, without the client library in between: the test
// sees the API server's own answer.

import type { KubeObject } from "../api/index.js";

/** POSTs `obj` as JSON to `url` (a collection) and returns the created object; throws unless 201. */
export async function postObject(url: string, obj: unknown): Promise<KubeObject> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(obj),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as KubeObject;
}
