// Label selectors (k8s.io/apimachinery/pkg/labels) and field selectors (pkg/fields): the string
// syntax of `?labelSelector=` / `?fieldSelector=` and `-l`, and metav1.LabelSelector as it appears in
// Deployment/ReplicaSet specs. Parse errors use Kubernetes' wording, since they reach users verbatim
// inside 400 BadRequest Status messages.

import type { LabelSelector } from "./meta.js";
import { isQualifiedName, isValidLabelValue } from "./names.js";

export class SelectorError extends Error {
  override name = "SelectorError";
}

export interface LabelMatcher {
  matches(labels: Record<string, string> | undefined): boolean;
  /** True when the selector places no restriction (labels.Everything()). */
  readonly empty: boolean;
  toString(): string;
}

type Operator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | ">" | "<";

interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case "=":
    case "==":
    case "in":
      return has && r.values.includes(v!);
    case "!=":
    case "notin":
      return !has || !r.values.includes(v!);
    case "exists":
      return has;
    case "!":
      return !has;
    case ">":
    case "<": {
      if (!has || !/^[+-]?[0-9]+$/.test(v!)) return false;
      const lv = BigInt(v!);
      const rv = BigInt(r.values[0]!);
      return r.op === ">" ? lv > rv : lv < rv;
    }
  }
}

function requirementString(r: Requirement): string {
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(",");
  switch (r.op) {
    case "exists":
      return r.key;
    case "!":
      return `!${r.key}`;
    case "in":
    case "notin":
      return `${r.key} ${r.op} (${values})`;
    default:
      return `${r.key}${r.op}${values}`;
  }
}

class RequirementsMatcher implements LabelMatcher {
  constructor(private readonly reqs: readonly Requirement[]) {}
  get empty(): boolean {
    return this.reqs.length === 0;
  }
  matches(labels: Record<string, string> | undefined): boolean {
    const l = labels ?? {};
    return this.reqs.every((r) => requirementMatches(r, l));
  }
  toString(): string {
    return this.reqs.map(requirementString).join(",");
  }
}

/** labels.Nothing(): what a nil metav1.LabelSelector selects. */
const NOTHING: LabelMatcher = {
  empty: false,
  matches: () => false,
  toString: () => "",
};

const byKey = (a: Requirement, b: Requirement) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

// ---- the label selector string syntax (labels.Parse) ------------------------------------------

type Tok =
  | { t: "id"; lit: string }
  | { t: "end"; lit: "" }
  | { t: "error"; lit: string }
  | { t: "(" | ")" | "," | "!" | "=" | "==" | "!=" | ">" | "<" | "in" | "notin"; lit: string };

const SPECIAL = new Set(["=", "!", "(", ")", ",", ">", "<"]);
const SYMBOLS = new Set(["(", ")", ",", "!", "=", "==", "!=", ">", "<"]);
const isSpace = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";

function lex(s: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i]!)) i++;
    if (i >= s.length) {
      toks.push({ t: "end", lit: "" });
      return toks;
    }
    if (SPECIAL.has(s[i]!)) {
      // Longest run of special characters that still forms an operator ("!=" before "!").
      let buf = "";
      let best: string | undefined;
      while (i < s.length && SPECIAL.has(s[i]!)) {
        buf += s[i];
        if (SYMBOLS.has(buf)) best = buf;
        else if (best !== undefined) break;
        i++;
      }
      if (best === undefined) {
        toks.push({ t: "error", lit: `error expected: keyword found '${buf}'` });
      } else {
        toks.push({ t: best as "=", lit: best });
      }
      continue;
    }
    let buf = "";
    while (i < s.length && !SPECIAL.has(s[i]!) && !isSpace(s[i]!)) buf += s[i++];
    if (buf === "in" || buf === "notin") toks.push({ t: buf, lit: buf });
    else toks.push({ t: "id", lit: buf });
  }
}

class LabelParser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}

  // In value position "in" and "notin" are ordinary identifiers ("x in (in)").
  private peek(values = true): Tok {
    const tok = this.toks[this.pos]!;
    return values && (tok.t === "in" || tok.t === "notin") ? { t: "id", lit: tok.lit } : tok;
  }
  private next(values = true): Tok {
    const tok = this.peek(values);
    this.pos++;
    return tok;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.t === "end") return reqs;
      if (tok.t !== "id" && tok.t !== "!") {
        throw new SelectorError(`found '${tok.lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (e instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = this.next();
      if (after.t === "end") return reqs;
      if (after.t !== ",") throw new SelectorError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.t !== "id" && following.t !== "!") {
        throw new SelectorError(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): Requirement {
    let tok = this.next();
    let op: Operator | undefined;
    if (tok.t === "!") {
      op = "!";
      tok = this.next();
    }
    if (tok.t !== "id") throw new SelectorError(`found '${tok.lit}', expected: identifier`);
    const key = tok.lit;
    checkKey(key);
    // "!k" is complete by itself; whatever follows is the caller's problem (',' or the end).
    if (op === "!") return { key, op, values: [] };
    const after = this.peek();
    if (after.t === "end" || after.t === ",") return { key, op: "exists", values: [] };

    const opTok = this.next(false);
    let values: string[];
    switch (opTok.t) {
      case "in":
      case "notin":
        values = this.setValues();
        break;
      case "=":
      case "==":
      case "!=":
      case ">":
      case "<":
        values = [this.exactValue()];
        break;
      default:
        throw new SelectorError(`found '${opTok.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const req: Requirement = { key, op: opTok.t, values };
    checkValues(req);
    return req;
  }

  private setValues(): string[] {
    const open = this.next();
    if (open.t !== "(") throw new SelectorError(`found '${open.lit}' expected: '('`);
    const first = this.peek();
    if (first.t === ")") {
      this.next();
      return [""];
    }
    if (first.t !== "id" && first.t !== ",") {
      throw new SelectorError(`found '${first.lit}', expected: ',', ')' or identifier`);
    }
    const values = new Set<string>();
    for (;;) {
      const tok = this.next();
      if (tok.t === "id") {
        values.add(tok.lit);
        const after = this.peek();
        if (after.t === ",") continue;
        if (after.t === ")") break;
        throw new SelectorError(`found '${after.lit}', expected: ',' or ')'`);
      }
      if (tok.t === ",") {
        // Empty members are allowed: "(,a)" and "(a,)" include the empty value.
        if (values.size === 0) values.add("");
        const after = this.peek();
        if (after.t === ")") {
          values.add("");
          break;
        }
        if (after.t === ",") values.add("");
        continue;
      }
      throw new SelectorError(`found '${tok.lit}', expected: ',', or identifier`);
    }
    this.next(); // ")"
    return [...values].sort();
  }

  private exactValue(): string {
    const tok = this.peek();
    if (tok.t === "end" || tok.t === ",") return "";
    this.next();
    if (tok.t === "id") return tok.lit;
    throw new SelectorError(`found '${tok.lit}', expected: identifier`);
  }
}

function checkKey(key: string): void {
  const errs = isQualifiedName(key);
  if (errs.length > 0)
    throw new SelectorError(`<nil>: Invalid value: ${JSON.stringify(key)}: ${errs.join("; ")}`);
}

function checkValues(r: Requirement): void {
  if ((r.op === ">" || r.op === "<") && !/^[+-]?[0-9]+$/.test(r.values[0]!)) {
    throw new SelectorError(
      `values[0]: Invalid value: ${JSON.stringify(r.values[0])}: for 'Gt', 'Lt' operators, the value must be an integer`,
    );
  }
  r.values.forEach((v, i) => {
    const errs = isValidLabelValue(v);
    if (errs.length > 0) {
      throw new SelectorError(
        `values[${i}][${r.key}]: Invalid value: ${JSON.stringify(v)}: ${errs.join("; ")}`,
      );
    }
  });
}

/** Parses `-l`/`?labelSelector=` syntax: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`, `k>1`, `k<1`; commas AND. */
export function parseLabelSelector(s: string): LabelMatcher {
  const reqs = new LabelParser(lex(s)).parse();
  return new RequirementsMatcher(reqs.sort(byKey));
}

function requirementsOf(sel: LabelSelector): Requirement[] {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {}))
    reqs.push({ key, op: "=", values: [value] });
  for (const expr of sel.matchExpressions ?? []) {
    switch (expr.operator) {
      case "In":
        reqs.push({ key: expr.key, op: "in", values: [...(expr.values ?? [])] });
        break;
      case "NotIn":
        reqs.push({ key: expr.key, op: "notin", values: [...(expr.values ?? [])] });
        break;
      case "Exists":
        reqs.push({ key: expr.key, op: "exists", values: [] });
        break;
      case "DoesNotExist":
        reqs.push({ key: expr.key, op: "!", values: [] });
        break;
      default:
        throw new SelectorError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    }
  }
  return reqs.sort(byKey);
}

/**
 * metav1.LabelSelectorAsSelector: a nil selector selects nothing, an empty one ({}) selects
 * everything, otherwise matchLabels and matchExpressions are ANDed. Throws SelectorError for an
 * unknown operator (validation rejects those before they are stored).
 */
export function labelMatcherFromSelector(sel: LabelSelector | undefined): LabelMatcher {
  if (sel === undefined || sel === null) return NOTHING;
  return new RequirementsMatcher(requirementsOf(sel));
}

/** metav1.FormatLabelSelector: "app=web,tier in (a,b)"; "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(sel: LabelSelector): string {
  let reqs: Requirement[];
  try {
    reqs = requirementsOf(sel);
  } catch (e) {
    if (e instanceof SelectorError) return "<error>";
    throw e;
  }
  const s = new RequirementsMatcher(reqs).toString();
  return s.length === 0 ? "<none>" : s;
}

// ---- field selectors (fields.ParseSelector) ------------------------------------------------------

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

/** Splits on commas that are not escaped with a backslash. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === ",") {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

function splitTerm(term: string): FieldRequirement | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === "\\") {
      i++;
      continue;
    }
    for (const op of ["!=", "==", "="] as const) {
      if (term.startsWith(op, i)) {
        return { field: term.slice(0, i), op: op === "==" ? "=" : op, value: term.slice(i + op.length) };
      }
    }
  }
  return undefined;
}

// fields.UnescapeValue: only "\\", "\," and "\=" are escapes; a bare "," or "=" in a value is an error.
function unescapeValue(v: string): string {
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === "\\") {
      const n = v[i + 1];
      if (n !== "\\" && n !== "," && n !== "=") {
        throw new SelectorError(`invalid field selector: invalid escape sequence: \\${n ?? ""}`);
      }
      out += n;
      i++;
    } else if (c === "," || c === "=") {
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

/** Parses `?fieldSelector=`: terms `f=v`, `f==v`, `f!=v` joined by commas; "" selects everything. */
export function parseFieldSelector(s: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(s)) {
    if (part === "") continue;
    const req = splitTerm(part);
    if (!req) throw new SelectorError(`invalid selector: '${s}'; can't understand '${part}'`);
    reqs.push({ ...req, value: unescapeValue(req.value) });
  }
  return reqs;
}

/** True when every requirement holds for the given field values (a missing field reads as ""). */
export function fieldRequirementsMatch(
  reqs: readonly FieldRequirement[],
  get: (field: string) => string,
): boolean {
  return reqs.every((r) => (get(r.field) === r.value) === (r.op === "="));
}
