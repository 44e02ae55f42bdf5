// One YAML document parsed, with the yaml package loaded on first use: it is about 70 modules and
// 40-60 ms of a start, and most components parse YAML rarely or never (an apply body, a kubeconfig,
// a scheduler config file).

import { createRequire } from "node:module";
import type * as Yaml from "yaml";

let yaml: typeof Yaml | undefined;

export function parseYaml(text: string, opts?: Yaml.ParseOptions): unknown {
  yaml ??= createRequire(import.meta.url)("yaml") as typeof Yaml;
  return yaml.parse(text, opts);
}
