// Plugins by name, after the kube-scheduler's runtime/registry.go: a profile names plugins, the
// registry makes them. Adding a plugin means adding one file and one line to the in-tree registry
// (plugins/index.ts); no other plugin changes.

import type { Plugin } from "./interface.js";

/** A bad scheduler configuration: unknown plugin, bad weight, bad plugin args. Fails start-up. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Makes a plugin from its `pluginConfig` args (undefined when none were given); throws ConfigError. */
export type PluginFactory = (args: Record<string, unknown> | undefined) => Plugin;

export type Registry = ReadonlyMap<string, PluginFactory>;

/** Reads a plugin's args strictly: unknown keys are an error, as Kubernetes' strict decoding is. */
export function checkArgKeys(plugin: string, args: Record<string, unknown> | undefined, allowed: string[]) {
  for (const k of Object.keys(args ?? {})) {
    if (!allowed.includes(k)) {
      throw new ConfigError(
        `pluginConfig for ${plugin}: unknown field "${k}"${allowed.length ? ` (known: ${allowed.join(", ")})` : " (it takes no args)"}`,
      );
    }
  }
}
