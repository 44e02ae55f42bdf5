// The connection every kubectl-like verb makes: kubeconfig from the global flags (--kubeconfig,
// --context, -n/--namespace, searched as kubectl searches), a RestClient for JSON, one for Tables
// (kubectl get's Accept header: the server formats the cells), and raw streams (pods/log).

import type { Status } from "../api/index.js";
import { ApiError, type ClientConfig, clientConfigFrom, RestClient } from "../client/index.js";

/** The flags every verb that talks to a cluster accepts, spelled as kubectl spells them. */
export const GLOBAL_OPTIONS = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  namespace: { type: "string", short: "n" },
} as const;

export interface GlobalFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

/** What kubectl get asks for: a Table (either version of meta.k8s.io), else plain JSON. */
export const TABLE_ACCEPT =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

const USER_AGENT = "k8ts-cli";

export interface Kube {
  config: ClientConfig;
  /** JSON objects in and out. */
  client: RestClient;
  /** Same calls, answered as meta.k8s.io/v1 Tables. */
  tables: RestClient;
  /** The namespace of -n, else the context's, else "default". */
  namespace: string;
  /** True when -n/--namespace was given (apply/create compare it with the manifest's). */
  namespaceFlag: boolean;
}

export function connect(flags: GlobalFlags): Kube {
  const config = clientConfigFrom({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    namespace: flags.namespace,
  });
  // Watches and follows may run for hours; single calls keep the client's default deadline.
  return {
    config,
    client: RestClient.fromConfig(config, { userAgent: USER_AGENT }),
    tables: RestClient.fromConfig(config, { userAgent: USER_AGENT, accept: TABLE_ACCEPT }),
    namespace: config.namespace,
    namespaceFlag: flags.namespace !== undefined,
  };
}

function authHeaders(kube: Kube): Record<string, string> {
  const h: Record<string, string> = { "user-agent": USER_AGENT };
  if (kube.config.token) h.authorization = `Bearer ${kube.config.token}`;
  return h;
}

/** `ws://host/path?query` for WebSocket subresources (exec), with the same credentials. */
export function websocketTarget(kube: Kube, path: string, query: URLSearchParams) {
  const url = new URL(`${kube.config.server}${path}?${query}`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return { url: url.toString(), headers: authHeaders(kube) };
}

/**
 * A GET whose answer is not JSON (pods/log): resolves to the streaming body once the server has
 * answered 200, throws ApiError with the server's Status otherwise.
 */
export async function openStream(
  kube: Kube,
  path: string,
  query: URLSearchParams,
  signal?: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const res = await fetch(`${kube.config.server}${path}?${query}`, { headers: authHeaders(kube), signal });
  if (!res.ok || !res.body) throw statusError(res.status, await res.text(), `GET ${path}`);
  return res.body;
}

/** The server's Status when the body is one, else a Status made from the HTTP code and text. */
function statusError(code: number, body: string, what: string): ApiError {
  try {
    const parsed = JSON.parse(body) as Partial<Status>;
    if (parsed?.kind === "Status")
      return new ApiError({ metadata: {}, status: "Failure", ...parsed, code } as Status);
  } catch {
    // plain text: fall through
  }
  const message = `${what}: ${code} ${body.trim().slice(0, 200)}`;
  return new ApiError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", code, message });
}
