// A namespace of large ConfigMaps, and watches of it whose reader pauses at once. 300 objects of
// 30 KB (9 MB) are well beyond what loopback's sockets of a paused reader took here (about 4 MB:
// the sender's buffer grows to 4 MB), so the API server waits on the socket part-way through
// sending them (it writes the state in pieces, as the socket drains). For tests of what happens
// to a watch in the middle of its starting state.

import { once } from "node:events";
import { type IncomingMessage, request } from "node:http";
import { postObject } from "./post-object.js";

export const BIG_STATE_OBJECTS = 300;

/** Creates `namespace` and `count` ConfigMaps cm-0… of `bytes` each in it; returns their path. */
export async function fillNamespace(
  apiUrl: string,
  namespace: string,
  count = BIG_STATE_OBJECTS,
  bytes = 30_000,
): Promise<string> {
  await postObject(`${apiUrl}/api/v1/namespaces`, { metadata: { name: namespace } });
  const path = `/api/v1/namespaces/${namespace}/configmaps`;
  const data = "x".repeat(bytes);
  for (let i = 0; i < count; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, count - i) }, (_, j) =>
        postObject(apiUrl + path, { metadata: { name: `cm-${i + j}` }, data: { d: data } }),
      ),
    );
  }
  return path;
}

/** Opens `url` (a watch) and pauses its reader as soon as the answer's head has come. */
export async function pausedWatch(url: string): Promise<IncomingMessage> {
  const req = request(url);
  req.end();
  const [res] = (await once(req, "response")) as [IncomingMessage];
  res.pause();
  return res;
}
