// Finding and reading kubeconfig files the way kubectl does: `--kubeconfig` wins, else the
// KUBECONFIG list (files merged, the first to define a name or current-context wins), else the one
// `k8ts up` wrote (<K8TS_DATA_DIR or ~/.k8ts>/kubeconfig), else ~/.kube/config. The k8ts file comes
// before kubectl's default so that after `k8ts up` our verbs talk to the local cluster even when
// ~/.kube/config points at some other one. The result is the one thing a RestClient needs: where the server is, which
// namespace is the default, and the credentials (TLS material is kept as paths/data for later).

import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { parseYaml } from "../api/index.js";

export interface KubeconfigCluster {
  server: string;
  certificateAuthority?: string;
  certificateAuthorityData?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  clientCertificate?: string;
  clientCertificateData?: string;
  clientKey?: string;
  clientKeyData?: string;
}

export interface KubeconfigContext {
  cluster: string;
  user?: string;
  namespace?: string;
}

export interface Kubeconfig {
  clusters: Map<string, KubeconfigCluster>;
  users: Map<string, KubeconfigUser>;
  contexts: Map<string, KubeconfigContext>;
  currentContext?: string;
  /** The files this was read from, in precedence order. */
  files: string[];
}

/** Everything needed to talk to one cluster as one user. */
export interface ClientConfig {
  server: string;
  namespace: string;
  context: string;
  token?: string;
  user: KubeconfigUser;
  cluster: KubeconfigCluster;
}

export class KubeconfigError extends Error {
  override readonly name = "KubeconfigError";
}

export const NO_KUBECONFIG = "no kubeconfig: run `k8ts up` or pass --kubeconfig";

type Raw = Record<string, unknown>;

const asRecord = (v: unknown): Raw => (v && typeof v === "object" ? (v as Raw) : {});
const asString = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function named(list: unknown, field: string, file: string): [string, Raw][] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new KubeconfigError(`${file}: ${field} must be a list`);
  return list.map((entry, i) => {
    const e = asRecord(entry);
    const name = asString(e.name);
    if (!name) throw new KubeconfigError(`${file}: ${field}[${i}].name: Required value`);
    return [name, asRecord(e[field.slice(0, -1)])];
  });
}

/** Relative paths inside a kubeconfig are relative to the file, as in kubectl. */
function pathIn(file: string, p: unknown): string | undefined {
  const s = asString(p);
  return s === undefined || isAbsolute(s) ? s : resolve(dirname(file), s);
}

/** Parses one kubeconfig document. `file` is used for messages and relative paths. */
export function parseKubeconfig(text: string, file = "<kubeconfig>"): Kubeconfig {
  let doc: Raw;
  try {
    doc = asRecord(parseYaml(text));
  } catch (err) {
    throw new KubeconfigError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const cfg: Kubeconfig = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    currentContext: asString(doc["current-context"]),
    files: [file],
  };
  for (const [name, c] of named(doc.clusters, "clusters", file)) {
    const server = asString(c.server);
    if (!server) throw new KubeconfigError(`${file}: cluster "${name}" has no server`);
    cfg.clusters.set(name, {
      server: server.replace(/\/+$/, ""),
      certificateAuthority: pathIn(file, c["certificate-authority"]),
      certificateAuthorityData: asString(c["certificate-authority-data"]),
      insecureSkipTlsVerify: c["insecure-skip-tls-verify"] === true,
    });
  }
  for (const [name, u] of named(doc.users, "users", file)) {
    cfg.users.set(name, {
      token: asString(u.token),
      tokenFile: pathIn(file, u.tokenFile),
      clientCertificate: pathIn(file, u["client-certificate"]),
      clientCertificateData: asString(u["client-certificate-data"]),
      clientKey: pathIn(file, u["client-key"]),
      clientKeyData: asString(u["client-key-data"]),
    });
  }
  for (const [name, c] of named(doc.contexts, "contexts", file)) {
    const cluster = asString(c.cluster);
    if (!cluster) throw new KubeconfigError(`${file}: context "${name}" has no cluster`);
    cfg.contexts.set(name, { cluster, user: asString(c.user), namespace: asString(c.namespace) });
  }
  return cfg;
}

/** Merges configs, earlier ones winning, as kubectl merges the KUBECONFIG list. */
export function mergeKubeconfigs(configs: Kubeconfig[]): Kubeconfig {
  const out: Kubeconfig = { clusters: new Map(), users: new Map(), contexts: new Map(), files: [] };
  for (const c of configs) {
    out.currentContext ??= c.currentContext;
    out.files.push(...c.files);
    for (const key of ["clusters", "users", "contexts"] as const) {
      const into = out[key] as Map<string, unknown>;
      for (const [name, v] of c[key]) if (!into.has(name)) into.set(name, v);
    }
  }
  return out;
}

export interface LoadOptions {
  /** The value of a `--kubeconfig` flag, if given. */
  kubeconfig?: string;
  /** A `--context` override. */
  context?: string;
  /** A `--namespace`/`-n` override. */
  namespace?: string;
  /** Environment to read KUBECONFIG and HOME from; process.env when omitted. */
  env?: NodeJS.ProcessEnv;
}

/** The kubeconfig files that apply, in precedence order (they all exist). */
export function kubeconfigPaths(opts: LoadOptions = {}): string[] {
  const env = opts.env ?? process.env;
  if (opts.kubeconfig) {
    // An explicit flag naming a missing file is an error, not a silent fallback.
    if (!existsSync(opts.kubeconfig))
      throw new KubeconfigError(`kubeconfig ${opts.kubeconfig} does not exist`);
    return [opts.kubeconfig];
  }
  if (env.KUBECONFIG) {
    return env.KUBECONFIG.split(delimiter).filter((p) => p !== "" && existsSync(p));
  }
  const home = env.HOME ?? homedir();
  const k8ts = join(env.K8TS_DATA_DIR ?? join(home, ".k8ts"), "kubeconfig");
  const kubectl = join(home, ".kube", "config");
  const found = [k8ts, kubectl].find((p) => existsSync(p));
  return found ? [found] : [];
}

export function loadKubeconfig(opts: LoadOptions = {}): Kubeconfig {
  const paths = kubeconfigPaths(opts);
  if (paths.length === 0) throw new KubeconfigError(NO_KUBECONFIG);
  return mergeKubeconfigs(paths.map((p) => parseKubeconfig(readFileSync(p, "utf8"), p)));
}

/** Picks the context (override, else current-context) and resolves its cluster and user. */
export function resolveClientConfig(
  cfg: Kubeconfig,
  opts: Pick<LoadOptions, "context" | "namespace"> = {},
): ClientConfig {
  const name = opts.context ?? cfg.currentContext;
  const where = cfg.files.join(", ");
  if (!name) throw new KubeconfigError(`${where}: no current-context is set (pass --context)`);
  const ctx = cfg.contexts.get(name);
  if (!ctx) throw new KubeconfigError(`${where}: context "${name}" not found`);
  const cluster = cfg.clusters.get(ctx.cluster);
  if (!cluster)
    throw new KubeconfigError(`${where}: cluster "${ctx.cluster}" of context "${name}" not found`);
  const user = ctx.user ? cfg.users.get(ctx.user) : undefined;
  if (ctx.user && !user)
    throw new KubeconfigError(`${where}: user "${ctx.user}" of context "${name}" not found`);
  let token = user?.token;
  if (!token && user?.tokenFile) token = readFileSync(user.tokenFile, "utf8").trim();
  const out: ClientConfig = {
    server: cluster.server,
    namespace: opts.namespace ?? ctx.namespace ?? "default",
    context: name,
    user: user ?? {},
    cluster,
  };
  if (token) out.token = token;
  return out;
}

/** Finds, reads and resolves in one step: what a command's `--kubeconfig` handling calls. */
export function clientConfigFrom(opts: LoadOptions = {}): ClientConfig {
  return resolveClientConfig(loadKubeconfig(opts), opts);
}
