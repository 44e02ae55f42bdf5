// `k8ts config get-contexts|current-context|use-context`: the contexts of the kubeconfig the verbs
// use (the same search and merge as config view), in kubectl's table and words. use-context writes
// current-context into the file that sets it, else the first file, as kubectl does.

import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { KubeconfigError, kubeconfigPaths, NO_KUBECONFIG } from "../../client/index.js";
import { formatColumns } from "../printers/columns.js";
import { mergeConfigs } from "./config-view.js";

type Raw = Record<string, unknown>;
type Context = { name: string; context?: { cluster?: string; user?: string; namespace?: string } };

function load(kubeconfig: string | undefined): { paths: string[]; docs: Raw[] } {
  const paths = kubeconfigPaths({ kubeconfig });
  if (paths.length === 0) throw new KubeconfigError(NO_KUBECONFIG);
  return { paths, docs: paths.map((p) => (parse(readFileSync(p, "utf8")) ?? {}) as Raw) };
}

export function currentContext(opts: { kubeconfig?: string }): number {
  const current = mergeConfigs(load(opts.kubeconfig).docs)["current-context"];
  if (!current) throw new KubeconfigError("current-context is not set");
  process.stdout.write(`${current}\n`);
  return 0;
}

export function getContexts(opts: {
  kubeconfig?: string;
  names: string[];
  output?: string;
  noHeaders: boolean;
}): number {
  const cfg = mergeConfigs(load(opts.kubeconfig).docs);
  const all = (cfg.contexts as Context[])
    .slice()
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const missing = opts.names.filter((n) => !all.some((c) => c.name === n));
  const shown = opts.names.length ? all.filter((c) => opts.names.includes(c.name)) : all;
  if (opts.output === "name") process.stdout.write(shown.map((c) => `${c.name}\n`).join(""));
  else {
    const rows = shown.map((c) => [
      c.name === cfg["current-context"] ? "*" : "",
      c.name,
      c.context?.cluster ?? "",
      c.context?.user ?? "",
      c.context?.namespace ?? "",
    ]);
    const header = ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"];
    process.stdout.write(formatColumns(opts.noHeaders ? rows : [header, ...rows]));
  }
  if (missing.length) throw new KubeconfigError(`context ${missing[0]} not found`);
  return 0;
}

export function useContext(opts: { kubeconfig?: string; name: string }): number {
  const { paths, docs } = load(opts.kubeconfig);
  const contexts = mergeConfigs(docs).contexts as Context[];
  if (!contexts.some((c) => c.name === opts.name))
    throw new KubeconfigError(`no context exists with the name: "${opts.name}"`);
  const at = Math.max(
    0,
    docs.findIndex((d) => typeof d["current-context"] === "string" && d["current-context"] !== ""),
  );
  writeFileSync(paths[at]!, stringify({ ...docs[at], "current-context": opts.name }, { indentSeq: false }));
  process.stdout.write(`Switched to context "${opts.name}".\n`);
  return 0;
}
