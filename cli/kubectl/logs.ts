// `k8ts logs`: containers' logs from pods/log, relayed by the API server from the node agent and
// streamed to stdout as they arrive. One container by default; --all-containers (init, regular,
// ephemeral, in that order), -l for every matching pod, --prefix to say whose line it is
// (`[pod/NAME/CONTAINER] `). Several logs print one after another, or, with -f, side by side
// (whole lines, at most --max-log-requests streams) until they end or Ctrl-C, as kubectl does.
// One after another means pod by pod in list order: kubectl's order changes from run to run.

import type { Pod } from "../../api/index.js";
import { resourcePath } from "../../client/index.js";
import { type Kube, openStream } from "../kube.js";
import { allContainers, chooseContainer, findPod, PODS } from "./pod-target.js";

export interface LogsOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  timestamps: boolean;
  sinceSeconds?: number;
  allContainers: boolean;
  /** -l: every pod it selects (instead of one POD argument). */
  selector?: string;
  prefix: boolean;
  maxLogRequests: number;
}

interface LogSource {
  pod: Pod;
  container: string;
}

/** Which containers of which pods, in kubectl's order. */
async function sources(kube: Kube, podArg: string | undefined, opts: LogsOptions): Promise<LogSource[]> {
  const pods = podArg
    ? [await findPod(kube, podArg)]
    : (await kube.client.listAll<Pod>(PODS, { namespace: kube.namespace, labelSelector: opts.selector }))
        .items;
  return pods.flatMap((pod) =>
    opts.allContainers
      ? allContainers(pod).map((container) => ({ pod, container }))
      : [{ pod, container: chooseContainer(pod, opts.container) }],
  );
}

function logQuery(container: string, opts: LogsOptions): URLSearchParams {
  const query = new URLSearchParams({ container });
  if (opts.follow) query.set("follow", "true");
  if (opts.previous) query.set("previous", "true");
  if (opts.tailLines !== undefined) query.set("tailLines", String(opts.tailLines));
  if (opts.timestamps) query.set("timestamps", "true");
  if (opts.sinceSeconds !== undefined) query.set("sinceSeconds", String(opts.sinceSeconds));
  return query;
}

async function write(text: string | Uint8Array): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((r) => process.stdout.once("drain", r));
}

/**
 * Copies one log to stdout. Raw bytes when it is the only one and unprefixed; otherwise whole lines
 * (so logs followed side by side never mix inside a line), each behind `prefix`.
 */
async function copy(body: AsyncIterable<Uint8Array>, prefix: string, byLine: boolean): Promise<void> {
  if (!byLine) {
    for await (const chunk of body) await write(chunk);
    return;
  }
  const decoder = new TextDecoder();
  let partial = "";
  for await (const chunk of body) {
    const lines = (partial + decoder.decode(chunk, { stream: true })).split("\n");
    partial = lines.pop() ?? "";
    if (lines.length > 0) await write(lines.map((l) => `${prefix}${l}\n`).join(""));
  }
  partial += decoder.decode();
  if (partial) await write(`${prefix}${partial}\n`);
}

export async function logs(
  kube: Kube,
  podArg: string | undefined,
  opts: LogsOptions,
  signal: AbortSignal,
): Promise<number> {
  const all = await sources(kube, podArg, opts);
  if (all.length === 0) {
    process.stderr.write(`No resources found in ${kube.namespace} namespace.\n`);
    return 0;
  }
  if (opts.follow && all.length > opts.maxLogRequests) {
    throw new Error(
      `you are attempting to follow ${all.length} log streams, but maximum allowed concurrency is ${opts.maxLogRequests}, use --max-log-requests to increase the limit`,
    );
  }
  const byLine = opts.prefix || (opts.follow && all.length > 1);
  // One failed stream ends the others: a partial follow should not look like a quiet one.
  const failed = new AbortController();
  const stop = AbortSignal.any([signal, failed.signal]);
  const one = async ({ pod, container }: LogSource) => {
    const path = resourcePath(PODS, {
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      subresource: "log",
    });
    const prefix = opts.prefix ? `[pod/${pod.metadata.name}/${container}] ` : "";
    try {
      const body = await openStream(kube, path, logQuery(container, opts), stop);
      await copy(body as unknown as AsyncIterable<Uint8Array>, prefix, byLine);
    } catch (err) {
      if (stop.aborted) return;
      failed.abort();
      throw err;
    }
  };
  if (opts.follow) await Promise.all(all.map(one));
  else for (const s of all) await one(s);
  return 0;
}
