// Running a parsed JSONPath template against a decoded object, as client-go's JSONPath does:
// each action yields a list of values, printed space-separated; `{range X}...{end}` repeats its
// body for every value of X and then carries on with the object it started from. A missing field
// is an empty result (kubectl's --allow-missing-template-keys, on by default) or "x is not found";
// an index past the end of a list is always an error.

import { goFloat, goJson, goSprint } from "./go-format.js";
import type { ListNode, Node } from "./parse.js";

type Json = unknown;

/** An expected failure while evaluating, worded as client-go words it. */
export class JsonPathEvalError extends Error {}

export interface EvalOptions {
  /** --allow-missing-template-keys: a missing field yields nothing instead of an error. */
  allowMissingKeys: boolean;
}

/** A float written in a template (`0.5`, `1.0`): Go keeps it a float64, so `1.0` never equals an int. */
class FloatLiteral {
  constructor(readonly value: number) {}
}

const isMap = (v: Json): v is Record<string, Json> => !!v && typeof v === "object" && !Array.isArray(v);

/** The Go type kubectl names in "x is not array or slice". */
function goType(v: Json): string {
  if (Array.isArray(v)) return "[]interface {}";
  if (isMap(v)) return "map[string]interface {}";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int64" : "float64";
  return "interface {}";
}

const isRange = (n: Node) =>
  n.kind === "list" && n.nodes[0]?.kind === "identifier" && n.nodes[0].name === "range";
const isEnd = (n: Node) =>
  n.kind === "list" && n.nodes[0]?.kind === "identifier" && n.nodes[0].name === "end";

/**
 * The value groups of a template, in order (one per action or text, per range iteration). kubectl
 * prints each group's values joined by a space; custom columns and --sort-by read the groups.
 */
export function findResults(root: ListNode, data: Json, opts: EvalOptions): Json[][] {
  return new Evaluator(opts).block(root.nodes, data);
}

class Evaluator {
  constructor(private readonly opts: EvalOptions) {}

  block(nodes: readonly Node[], data: Json): Json[][] {
    const groups: Json[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (isEnd(node)) throw new JsonPathEvalError("not in range, nothing to end");
      if (!isRange(node)) {
        groups.push(this.walk([data], node));
        continue;
      }
      const close = matchingEnd(nodes, i);
      const items = this.walk([data], { kind: "list", nodes: (node as ListNode).nodes.slice(1) });
      const body = nodes.slice(i + 1, close);
      for (const item of items) groups.push(...this.block(body, item));
      // Over nothing, kubectl still walks the body once (printing nothing), so a missing field
      // there is an error when missing keys are.
      if (items.length === 0) this.block(body, []);
      // An unclosed range runs to the end of the template, as in client-go.
      i = close;
    }
    return groups;
  }

  private walk(input: Json[], node: Node): Json[] {
    switch (node.kind) {
      case "list": {
        let cur = input;
        for (const n of node.nodes) cur = this.walk(cur, n);
        return cur;
      }
      case "text":
        return [node.text];
      case "int":
      case "bool":
        return input.map(() => node.value);
      case "float":
        return input.map(() => new FloatLiteral(node.value));
      case "field":
        return this.field(input, node.name);
      case "array":
        return input.flatMap((v) => (v === null || v === undefined ? [] : slice(v, node)));
      case "union":
        return node.branches.flatMap((b) => this.walk(input, b));
      case "filter":
        return this.filter(input, node);
      case "wildcard":
        return input.flatMap(children);
      case "recursive":
        return input.flatMap(descendants);
      case "identifier":
        throw new JsonPathEvalError(`unrecognized identifier ${node.name}`);
    }
  }

  private field(input: Json[], name: string): Json[] {
    if (input.length === 0) return [];
    const found = input.flatMap((v) => (isMap(v) && Object.hasOwn(v, name) ? [v[name]] : []));
    if (found.length === 0 && !this.opts.allowMissingKeys)
      throw new JsonPathEvalError(`${name} is not found`);
    return found;
  }

  private filter(input: Json[], node: Extract<Node, { kind: "filter" }>): Json[] {
    const out: Json[] = [];
    for (const value of input) {
      if (!Array.isArray(value))
        throw new JsonPathEvalError(`${goSprint(value)} is not array or slice and cannot be filtered`);
      for (const item of value) {
        let lefts: Json[] | undefined;
        let failure: unknown;
        try {
          lefts = this.walk([item], node.left);
        } catch (err) {
          failure = err;
        }
        if (node.op === "exists") {
          if (lefts && lefts.length > 0) out.push(item);
          continue;
        }
        if (failure) throw failure;
        // A missing field (with missing keys allowed) matches nothing, as in kubectl.
        if (lefts!.length === 0) continue;
        const rights = this.walk([item], node.right);
        if (lefts!.length !== 1 || rights.length !== 1)
          throw new JsonPathEvalError("can only compare one element at a time");
        if (compare(lefts![0], rights[0], node.op)) out.push(item);
      }
    }
    return out;
  }
}

/** The `{end}` that closes the range at `open`, counting nested ranges. */
function matchingEnd(nodes: readonly Node[], open: number): number {
  let depth = 0;
  for (let i = open + 1; i < nodes.length; i++) {
    if (isRange(nodes[i]!)) depth++;
    else if (isEnd(nodes[i]!)) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return nodes.length;
}

function slice(value: Json, node: Extract<Node, { kind: "array" }>): Json[] {
  if (!Array.isArray(value)) throw new JsonPathEvalError(`${goType(value)} is not array or slice`);
  const len = value.length;
  let start = node.start ?? 0;
  if (start < 0) start += len;
  let end = node.derivedEnd ? start + 1 : (node.end ?? len);
  if (end < 0) end += len;
  if (end !== start) {
    if (start >= len) throw new JsonPathEvalError(`array index out of bounds: index ${start}, length ${len}`);
    if (end > len) throw new JsonPathEvalError(`array index out of bounds: index ${end - 1}, length ${len}`);
  }
  return value.slice(start, end);
}

function children(v: Json): Json[] {
  if (Array.isArray(v)) return v;
  if (isMap(v))
    return Object.keys(v)
      .sort()
      .map((k) => v[k]);
  return [];
}

/**
 * `..`: the value and everything below it that holds something (maps and lists, and non-empty
 * strings, which Go walks as bytes), parents first; the next step (`..image`) picks from those.
 */
function descendants(v: Json): Json[] {
  if (typeof v === "string") return v.length > 0 ? [v] : [];
  const kids = children(v);
  if (kids.length === 0) return [];
  return [v, ...kids.flatMap(descendants)];
}

type Kind = "int" | "float" | "string" | "bool" | "other";

function kindOf(v: Json): Kind {
  if (v instanceof FloatLiteral) return "float";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  return "other";
}

const plain = (v: Json) => (v instanceof FloatLiteral ? v.value : v) as number | string;

/** Go template's eq/ne/lt/le/gt/ge: both sides of one basic kind, else "incompatible types". */
function compare(left: Json, right: Json, op: string): boolean {
  const [a, b] = [kindOf(left), kindOf(right)];
  if (a === "other" || b === "other") throw new JsonPathEvalError("invalid type for comparison");
  if (a !== b) throw new JsonPathEvalError("incompatible types for comparison");
  if (op === "==") return plain(left) === plain(right);
  if (op === "!=") return plain(left) !== plain(right);
  if (a === "bool") throw new JsonPathEvalError("invalid type for comparison");
  const [l, r] = [plain(left), plain(right)];
  switch (op) {
    case "<":
      return l < r;
    case ">":
      return l > r;
    case "<=":
      return l <= r;
    case ">=":
      return l >= r;
  }
  throw new JsonPathEvalError(`unrecognized filter operator ${op}`);
}

/** One value as -o jsonpath prints it: maps and lists as compact JSON, scalars as Go prints them. */
export function printValue(v: Json): string {
  if (v instanceof FloatLiteral) return goFloat(v.value);
  if (v !== null && typeof v === "object") return goJson(v);
  if (typeof v === "number") return goFloat(v);
  return goSprint(v);
}

/** -o jsonpath output: each group's values joined by a space, the groups back to back. */
export function printResults(groups: Json[][]): string {
  return groups.map((g) => g.map(printValue).join(" ")).join("");
}

/** -o jsonpath-as-json: each group as an indented JSON array. */
export function printResultsAsJson(groups: Json[][]): string {
  return groups.map((g) => `${goJson(g, "    ")}\n`).join("");
}
