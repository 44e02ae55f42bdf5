// `k8ts config view`: the kubeconfig the verbs use (every file of the search, merged as kubectl
// merges them: the first to name a cluster, user or context wins), with credentials hidden unless
// --raw; --minify keeps only what the current context needs.

import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { KubeconfigError, kubeconfigPaths, NO_KUBECONFIG } from "../../client/index.js";

type Raw = Record<string, unknown>;
type Named = { name: string } & Raw;

const SECRET = /^(token|password|client-key-data|client-certificate-data|certificate-authority-data)$/;

function redact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redact);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        SECRET.test(k) && typeof x === "string"
          ? k.endsWith("-data")
            ? "DATA+OMITTED"
            : "REDACTED"
          : redact(x),
      ]),
    );
  }
  return v;
}

export function mergeConfigs(docs: Raw[]): Raw {
  const merged: Raw = { apiVersion: "v1", kind: "Config", preferences: {} };
  for (const key of ["clusters", "contexts", "users"]) {
    const seen = new Map<string, Named>();
    for (const d of docs)
      for (const e of (d[key] as Named[] | undefined) ?? []) if (!seen.has(e.name)) seen.set(e.name, e);
    merged[key] = [...seen.values()];
  }
  merged["current-context"] =
    docs.map((d) => d["current-context"]).find((c) => typeof c === "string" && c) ?? "";
  return merged;
}

export function minify(cfg: Raw, context?: string): Raw {
  const name = context ?? (cfg["current-context"] as string);
  const ctx = (cfg.contexts as Named[]).find((c) => c.name === name);
  if (!ctx) throw new KubeconfigError(`current-context "${name}" not found: pass --context`);
  const inner = (ctx.context ?? {}) as { cluster?: string; user?: string };
  return {
    ...cfg,
    "current-context": name,
    contexts: [ctx],
    clusters: (cfg.clusters as Named[]).filter((c) => c.name === inner.cluster),
    users: (cfg.users as Named[]).filter((u) => u.name === inner.user),
  };
}

export function configView(opts: {
  kubeconfig?: string;
  context?: string;
  minify: boolean;
  raw: boolean;
}): number {
  const paths = kubeconfigPaths({ kubeconfig: opts.kubeconfig });
  if (paths.length === 0) throw new KubeconfigError(NO_KUBECONFIG);
  let cfg = mergeConfigs(paths.map((p) => (parse(readFileSync(p, "utf8")) ?? {}) as Raw));
  if (opts.minify) cfg = minify(cfg, opts.context);
  const shown = opts.raw ? cfg : redact(cfg);
  const sorted = Object.fromEntries(Object.entries(shown as Raw).sort(([a], [b]) => a.localeCompare(b)));
  process.stdout.write(stringify(sorted, { indentSeq: false }));
  return 0;
}
