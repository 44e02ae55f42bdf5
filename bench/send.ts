// One-off HTTP calls of the benches (set-up writes, lists, /metrics) through the client library's
// keep-alive HTTP/1.1 pool, the one-shot transport the components themselves use.

import { http1PoolTransport } from "../client/http1-pool.js";

export interface Answer {
  status: number;
  text: string;
}

export async function send(
  method: string,
  url: string,
  body?: string,
  contentType = "application/json",
): Promise<Answer> {
  const res = await http1PoolTransport({
    method,
    url,
    headers: body === undefined ? {} : { "content-type": contentType },
    body,
    timeoutMs: 60_000,
  });
  return { status: res.status, text: await res.text() };
}
