// describe for kinds without their own describer: identity, then every other field, nested, with
// kubectl's "Title Case" keys.

import type { KubeObject } from "../../api/index.js";
import type { Describer } from "./describer.js";
import { eventsFor, writeEvents } from "./events.js";
import { DescribeWriter } from "./writer.js";

/** "creationTimestamp" → "Creation Timestamp", as kubectl's generic describer labels fields. */
export function titleCase(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function writeValue(w: DescribeWriter, level: number, key: string, v: unknown) {
  if (Array.isArray(v)) {
    w.line(level, `${key}:`);
    for (const item of v) {
      if (item && typeof item === "object") {
        for (const [k, x] of Object.entries(item)) writeValue(w, level + 1, titleCase(k), x);
      } else {
        w.line(level + 1, String(item));
      }
    }
  } else if (v && typeof v === "object") {
    w.line(level, `${key}:`);
    for (const [k, x] of Object.entries(v))
      writeValue(w, level + 1, k.includes(".") || k.includes("/") ? k : titleCase(k), x);
  } else {
    w.field(level, key, v as string);
  }
}

export const genericDescriber: Describer = {
  async describe(client, r, obj, now) {
    const o = obj as KubeObject;
    const w = new DescribeWriter();
    w.field(0, "Name", o.metadata.name);
    if (r.namespaced) w.field(0, "Namespace", o.metadata.namespace);
    w.map(0, "Labels", o.metadata.labels).map(0, "Annotations", o.metadata.annotations);
    w.field(0, "API Version", o.apiVersion).field(0, "Kind", o.kind ?? r.kind);
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = o;
    for (const [k, v] of Object.entries(rest)) writeValue(w, 0, titleCase(k), v);
    if (r.kind !== "Event") writeEvents(w, await eventsFor(client, r, o), now);
    return w.toString();
  },
};
