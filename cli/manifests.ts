// Reading `-f FILE|DIR|-`: multi-document YAML or JSON, a directory's .yaml/.yml/.json files in
// name order (not recursive, as kubectl without -R), stdin for "-"; `kind: List` expands to its
// items. Each object remembers where it came from, for kubectl's `error when creating "x.yaml"`.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../api/index.js";
import { UsageError } from "./command.js";

export interface Manifest {
  source: string;
  object: KubeObject;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/;

export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ("errors" in doc && doc.errors.length > 0) {
      throw new UsageError(`error parsing ${source}: ${doc.errors[0]!.message}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) {
      throw new UsageError(`error parsing ${source}: a document must be an object with apiVersion and kind`);
    }
    const obj = value as KubeObject;
    if (obj.kind === "List" && Array.isArray(obj.items)) {
      for (const item of obj.items as KubeObject[]) out.push(checked(item, source));
    } else {
      out.push(checked(obj, source));
    }
  }
  return out;
}

function checked(obj: KubeObject, source: string): Manifest {
  if (!obj.apiVersion || !obj.kind) {
    throw new UsageError(`error validating "${source}": apiVersion and kind must be set in every object`);
  }
  obj.metadata ??= {};
  return { source, object: obj };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Every object named by the -f flags, in order. */
export async function readManifests(paths: string[]): Promise<Manifest[]> {
  if (paths.length === 0) throw new UsageError("must specify -f FILE, -f DIR or -f - (stdin)");
  const out: Manifest[] = [];
  for (const p of paths) {
    if (p === "-") {
      out.push(...parseManifests(await readStdin(), "STDIN"));
      continue;
    }
    let files: string[];
    try {
      files = statSync(p).isDirectory()
        ? readdirSync(p)
            .filter((f) => MANIFEST_FILE.test(f))
            .sort()
            .map((f) => join(p, f))
        : [p];
    } catch {
      throw new UsageError(`the path "${p}" does not exist`);
    }
    for (const f of files) out.push(...parseManifests(readFileSync(f, "utf8"), f));
  }
  return out;
}
