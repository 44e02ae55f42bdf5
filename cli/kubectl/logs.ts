// `k8ts logs`: the container's log from pods/log, relayed by the API server from the node agent,
// streamed to stdout as it arrives (-f keeps it open until the container ends or Ctrl-C).

import { resourcePath } from "../../client/index.js";
import { type Kube, openStream } from "../kube.js";
import { PODS, podTarget } from "./pod-target.js";

export interface LogsOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  timestamps: boolean;
  sinceSeconds?: number;
}

export async function logs(
  kube: Kube,
  podArg: string,
  opts: LogsOptions,
  signal: AbortSignal,
): Promise<number> {
  const { pod, container } = await podTarget(kube, podArg, opts.container);
  const query = new URLSearchParams({ container });
  if (opts.follow) query.set("follow", "true");
  if (opts.previous) query.set("previous", "true");
  if (opts.tailLines !== undefined) query.set("tailLines", String(opts.tailLines));
  if (opts.timestamps) query.set("timestamps", "true");
  if (opts.sinceSeconds !== undefined) query.set("sinceSeconds", String(opts.sinceSeconds));
  const path = resourcePath(PODS, {
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    subresource: "log",
  });
  const body = await openStream(kube, path, query, signal);
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once("drain", r));
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
  return 0;
}
