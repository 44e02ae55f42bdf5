// The data of `create configmap` and `create secret generic`: --from-literal=KEY=VALUE and
// --from-file=[KEY=]PATH (a file, or every regular file in a directory), checked as kubectl checks
// them (a key once only, a valid key name), in kubectl's words.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

/** Bad data sources: reported as kubectl reports them ("error: ..."), not as a usage message. */
export class DataSourceError extends Error {}

export interface DataSources {
  literals: string[];
  files: string[];
}

/** A key kubectl accepts in a ConfigMap or Secret: letters, digits, '-', '_' and '.'. */
const KEY = /^[-._a-zA-Z0-9]+$/;

/** Each key and its bytes, keys in order. `what` names the object in errors. */
export function readSources(src: DataSources, what: string): [string, Buffer][] {
  const out = new Map<string, Buffer>();
  const add = (key: string, value: Buffer) => {
    if (!KEY.test(key) || key.length > 253)
      throw new DataSourceError(
        `"${key}" is not a valid key name for a ${what.split(" ")[0]}: a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
      );
    if (out.has(key))
      throw new DataSourceError(
        `cannot add key "${key}", another key by that name already exists in Data for ${what}`,
      );
    out.set(key, value);
  };
  for (const file of src.files) {
    const eq = file.indexOf("=");
    const [key, path] = eq < 0 ? [undefined, file] : [file.slice(0, eq), file.slice(eq + 1)];
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new DataSourceError(`error reading ${path}: no such file or directory`);
    if (stat.isDirectory()) {
      if (key !== undefined) throw new DataSourceError("cannot give a key name for a directory path");
      for (const name of readdirSync(path).sort()) {
        const p = join(path, name);
        if (statSync(p).isFile()) add(name, readFileSync(p));
      }
    } else add(key ?? basename(path), readFileSync(path));
  }
  for (const literal of src.literals) {
    const eq = literal.indexOf("=");
    if (eq <= 0) throw new DataSourceError(`invalid literal source ${literal}, expected key=value`);
    add(literal.slice(0, eq), Buffer.from(literal.slice(eq + 1)));
  }
  // Go prints a map's keys in order, so the object holds them in order.
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
