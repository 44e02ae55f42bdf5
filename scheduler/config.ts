// The scheduler's configuration file, a subset of Kubernetes' KubeSchedulerConfiguration
// (kubescheduler.config.k8s.io/v1), and how profiles become Frameworks. Pods pick a profile by
// spec.schedulerName. Anything unknown — a key, a plugin, a weight out of range — fails start-up
// with a message naming it, never silently ignored.
//
//   apiVersion: kubescheduler.config.k8s.io/v1
//   kind: KubeSchedulerConfiguration
//   percentageOfNodesToScore: 0          # 0 (default) adapts to the cluster size; 100 filters every node
//   podInitialBackoffSeconds: 1
//   podMaxBackoffSeconds: 10
//   profiles:
//   - schedulerName: default-scheduler
//     plugins:                           # multiPoint, preFilter, filter, preScore, score
//       score:
//         enabled: [{name: OwnerSpread, weight: 2}]
//         disabled: [{name: TaintToleration}]   # or {name: "*"}
//     pluginConfig:
//     - name: NodeResourcesFit
//       args: {scoringStrategy: {type: LeastAllocated, resources: [{name: cpu, weight: 1}]}}

import { parseYaml } from "../api/index.js";
import { Framework, type FrameworkPlugins } from "./framework/framework.js";
import { isFilter, isPreFilter, isPreScore, isScore, type Plugin } from "./framework/interface.js";
import { ConfigError, type Registry } from "./framework/registry.js";
import { IN_TREE } from "./plugins/index.js";

export const DEFAULT_SCHEDULER_NAME = "default-scheduler";

export interface SchedulerConfig {
  percentageOfNodesToScore: number;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
  profiles: Framework[];
}

interface PluginRef {
  name: string;
  weight?: number;
}

interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

const EXTENSION_POINTS = ["preFilter", "filter", "preScore", "score"] as const;
type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** The default plugins (multiPoint) and their score weights, as Kubernetes' defaults where they exist. */
export const DEFAULT_PLUGINS: readonly PluginRef[] = [
  { name: "NodeUnschedulable" },
  { name: "NodeName" },
  { name: "NodeReady" },
  { name: "TaintToleration", weight: 3 },
  { name: "NodeAffinity", weight: 2 },
  { name: "NodeResourcesFit", weight: 1 },
];

const IMPLEMENTS: Record<ExtensionPoint, (p: Plugin) => boolean> = {
  preFilter: isPreFilter,
  filter: isFilter,
  preScore: isPreScore,
  score: isScore,
};

/** Parses the YAML text of a config file; `where` names the file in messages. */
export function parseSchedulerConfig(
  text: string,
  where = "config",
  registry: Registry = IN_TREE,
): SchedulerConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${where}: not valid YAML: ${(err as Error).message}`);
  }
  return buildSchedulerConfig(doc ?? {}, where, registry);
}

export function defaultSchedulerConfig(registry: Registry = IN_TREE): SchedulerConfig {
  return buildSchedulerConfig({}, "defaults", registry);
}

export function buildSchedulerConfig(
  doc: unknown,
  where: string,
  registry: Registry = IN_TREE,
): SchedulerConfig {
  const c = mapping(doc, where);
  allowKeys(c, where, [
    "apiVersion",
    "kind",
    "percentageOfNodesToScore",
    "podInitialBackoffSeconds",
    "podMaxBackoffSeconds",
    "profiles",
  ]);
  if (c.apiVersion !== undefined && c.apiVersion !== "kubescheduler.config.k8s.io/v1") {
    throw new ConfigError(
      `${where}: apiVersion must be kubescheduler.config.k8s.io/v1, got "${String(c.apiVersion)}"`,
    );
  }
  if (c.kind !== undefined && c.kind !== "KubeSchedulerConfiguration") {
    throw new ConfigError(`${where}: kind must be KubeSchedulerConfiguration, got "${String(c.kind)}"`);
  }
  const pct = wholeNumber(c.percentageOfNodesToScore ?? 0, `${where}: percentageOfNodesToScore`, 0, 100);
  const initial = wholeNumber(c.podInitialBackoffSeconds ?? 1, `${where}: podInitialBackoffSeconds`, 1, 3600);
  const max = wholeNumber(c.podMaxBackoffSeconds ?? 10, `${where}: podMaxBackoffSeconds`, initial, 3600);
  const rawProfiles = c.profiles ?? [{ schedulerName: DEFAULT_SCHEDULER_NAME }];
  if (!Array.isArray(rawProfiles) || rawProfiles.length === 0) {
    throw new ConfigError(`${where}: profiles must be a non-empty list`);
  }
  const names = new Set<string>();
  const profiles = rawProfiles.map((p, i) => {
    const fwk = buildProfile(p, `${where}: profiles[${i}]`, registry);
    if (names.has(fwk.schedulerName)) {
      throw new ConfigError(`${where}: profiles[${i}]: schedulerName "${fwk.schedulerName}" is used twice`);
    }
    names.add(fwk.schedulerName);
    return fwk;
  });
  return {
    percentageOfNodesToScore: pct,
    podInitialBackoffMs: initial * 1000,
    podMaxBackoffMs: max * 1000,
    profiles,
  };
}

function buildProfile(raw: unknown, where: string, registry: Registry): Framework {
  const p = mapping(raw, where);
  allowKeys(p, where, ["schedulerName", "plugins", "pluginConfig"]);
  const schedulerName = p.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  if (typeof schedulerName !== "string" || !schedulerName)
    throw new ConfigError(`${where}: schedulerName must be a string`);
  const plugins = mapping(p.plugins ?? {}, `${where}.plugins`);
  allowKeys(plugins, `${where}.plugins`, ["multiPoint", ...EXTENSION_POINTS]);

  // Plugin args, by name.
  const args = new Map<string, Record<string, unknown> | undefined>();
  const pluginConfig = p.pluginConfig ?? [];
  if (!Array.isArray(pluginConfig)) throw new ConfigError(`${where}.pluginConfig must be a list`);
  for (const [i, pc] of pluginConfig.entries()) {
    const at = `${where}.pluginConfig[${i}]`;
    const m = mapping(pc, at);
    allowKeys(m, at, ["name", "args"]);
    const name = knownPlugin(m.name, at, registry);
    if (args.has(name)) throw new ConfigError(`${at}: ${name} is configured twice`);
    args.set(name, m.args === undefined ? undefined : mapping(m.args, `${at}.args`));
  }

  // Enabled plugins per extension point, with score weights: the defaults, then multiPoint, then
  // the extension point's own lists, each as "disable (or '*' for all), then enable".
  const multi = pluginSet(plugins.multiPoint, `${where}.plugins.multiPoint`, registry);
  const chosen = new Map<ExtensionPoint, Map<string, number | undefined>>();
  for (const ep of EXTENSION_POINTS) {
    const list = new Map<string, number | undefined>(DEFAULT_PLUGINS.map((r) => [r.name, r.weight]));
    apply(list, multi);
    apply(list, pluginSet(plugins[ep], `${where}.plugins.${ep}`, registry));
    chosen.set(ep, list);
  }

  // One instance of each plugin per profile, shared by its extension points.
  const instances = new Map<string, Plugin>();
  const instance = (name: string): Plugin => {
    let inst = instances.get(name);
    if (!inst) {
      try {
        inst = registry.get(name)!(args.get(name));
      } catch (err) {
        if (err instanceof ConfigError) throw new ConfigError(`${where}: ${err.message}`);
        throw err;
      }
      instances.set(name, inst);
    }
    return inst;
  };
  const explicit = (ep: ExtensionPoint, name: string) =>
    (plugins[ep] as PluginSet | undefined)?.enabled?.some((r) => r.name === name) ?? false;
  const pick = (ep: ExtensionPoint) =>
    [...chosen.get(ep)!].flatMap(([name, weight]) => {
      const inst = instance(name);
      if (IMPLEMENTS[ep](inst)) return [{ inst, weight }];
      if (explicit(ep, name)) throw new ConfigError(`${where}.plugins.${ep}: ${name} has no ${ep} phase`);
      return [];
    });
  const fp: FrameworkPlugins = {
    preFilter: pick("preFilter").map((x) => x.inst) as FrameworkPlugins["preFilter"],
    filter: pick("filter").map((x) => x.inst) as FrameworkPlugins["filter"],
    preScore: pick("preScore").map((x) => x.inst) as FrameworkPlugins["preScore"],
    score: pick("score").map((x) => ({
      plugin: x.inst as FrameworkPlugins["score"][number]["plugin"],
      weight: x.weight ?? 1,
    })),
  };
  // A plugin's preparation runs whenever its phase does: Filter needs its PreFilter's state, Score
  // its PreScore's. (Kubernetes makes you enable both; forgetting one fails at the first pod.) A
  // PreScore whose Score is off (or weighs 0) would only cost time.
  for (const f of fp.filter) if (isPreFilter(f) && !fp.preFilter.includes(f)) fp.preFilter.push(f);
  const scoring = fp.score.filter((s) => s.weight > 0).map((s) => s.plugin);
  for (const p of scoring) if (isPreScore(p) && !fp.preScore.includes(p)) fp.preScore.push(p);
  fp.preScore = fp.preScore.filter((p) =>
    scoring.includes(p as Plugin as FrameworkPlugins["score"][number]["plugin"]),
  );
  for (const name of args.keys()) {
    if (!instances.has(name))
      throw new ConfigError(`${where}.pluginConfig: ${name} is configured but not enabled`);
  }
  return new Framework(schedulerName, fp);
}

function pluginSet(
  raw: unknown,
  where: string,
  registry: Registry,
): { enabled: PluginRef[]; disabled: string[] } {
  if (raw === undefined) return { enabled: [], disabled: [] };
  const m = mapping(raw, where);
  allowKeys(m, where, ["enabled", "disabled"]);
  const list = (v: unknown, at: string) => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new ConfigError(`${at} must be a list`);
    return v.map((e, i) => mapping(e, `${at}[${i}]`));
  };
  const enabled = list(m.enabled, `${where}.enabled`).map((e, i) => {
    const at = `${where}.enabled[${i}]`;
    allowKeys(e, at, ["name", "weight"]);
    const name = knownPlugin(e.name, at, registry);
    const weight =
      e.weight === undefined ? undefined : wholeNumber(e.weight, `${at}: weight of ${name}`, 0, 100);
    return { name, weight };
  });
  const disabled = list(m.disabled, `${where}.disabled`).map((e, i) => {
    const at = `${where}.disabled[${i}]`;
    allowKeys(e, at, ["name"]);
    return e.name === "*" ? "*" : knownPlugin(e.name, at, registry);
  });
  return { enabled, disabled };
}

function apply(
  list: Map<string, number | undefined>,
  set: { enabled: PluginRef[]; disabled: string[] },
): void {
  for (const d of set.disabled) {
    if (d === "*") list.clear();
    else list.delete(d);
  }
  for (const e of set.enabled) list.set(e.name, e.weight ?? list.get(e.name));
}

function knownPlugin(name: unknown, where: string, registry: Registry): string {
  if (typeof name !== "string" || !registry.has(name)) {
    throw new ConfigError(
      `${where}: unknown plugin "${String(name)}" (known: ${[...registry.keys()].sort().join(", ")})`,
    );
  }
  return name;
}

function mapping(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new ConfigError(`${where} must be a mapping`);
  return v as Record<string, unknown>;
}

function allowKeys(m: Record<string, unknown>, where: string, keys: readonly string[]): void {
  for (const k of Object.keys(m)) {
    if (!keys.includes(k))
      throw new ConfigError(`${where}: unknown field "${k}" (known: ${keys.join(", ")})`);
  }
}

function wholeNumber(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(`${what} must be a whole number ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}
