// kubectl's JSONPath dialect (client-go util/jsonpath), parsed into a tree: text outside braces is
// printed as is; inside `{...}` an action is a chain of steps (.field, [index], [start:end],
// [a,b], ['key'], [?(@.x=="y")], .., *, "quoted text", range/end). The grammar and the error
// words follow client-go, because users paste templates written for kubectl and read its errors.

export type Node =
  | { kind: "text"; text: string }
  | { kind: "list"; nodes: Node[] }
  | { kind: "field"; name: string }
  | { kind: "array"; start?: number; end?: number; derivedEnd: boolean }
  | { kind: "union"; branches: ListNode[] }
  | { kind: "filter"; left: ListNode; right: ListNode; op: string }
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "wildcard" }
  | { kind: "recursive" }
  | { kind: "identifier"; name: string };

export type ListNode = Extract<Node, { kind: "list" }>;

export class JsonPathSyntaxError extends Error {}

const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const DICT_KEY = /^'([^']*)'$/;
const COMPARISON = /^([^!<>=]+)([!<>=]+)(.+?)$/;

const isSpace = (c: string) => c === " " || c === "\t";
const isEndOfLine = (c: string) => c === "\r" || c === "\n";
const isAlphaNumeric = (c: string) => c === "_" || /^[\p{L}\p{Nd}]$/u.test(c);
/** Where a field name or identifier stops. */
const isTerminator = (c: string) => c === "" || isSpace(c) || isEndOfLine(c) || ".,[]$@{}".includes(c);

/** Go's %#U: "U+002C ','". */
function describeRune(c: string): string {
  const hex = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return `U+${hex} '${c}'`;
}

/** Parses a whole template: the root list holds text nodes and one list node per action. */
export function parseTemplate(text: string): ListNode {
  return new Parser(text).parse();
}

class Parser {
  private pos = 0;
  private start = 0;
  private readonly root: ListNode = { kind: "list", nodes: [] };

  constructor(private readonly input: string) {}

  parse(): ListNode {
    for (;;) {
      const brace = this.input.indexOf("{", this.pos);
      if (brace < 0) break;
      if (brace > this.start)
        this.root.nodes.push({ kind: "text", text: this.input.slice(this.start, brace) });
      this.pos = brace + 1;
      this.start = this.pos;
      const action: ListNode = { kind: "list", nodes: [] };
      this.root.nodes.push(action);
      this.insideAction(action);
    }
    if (this.input.length > this.start)
      this.root.nodes.push({ kind: "text", text: this.input.slice(this.start) });
    return this.root;
  }

  private next(): string {
    if (this.pos >= this.input.length) return "";
    const c = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.pos += c.length;
    return c;
  }

  private peek(): string {
    return this.pos >= this.input.length ? "" : String.fromCodePoint(this.input.codePointAt(this.pos)!);
  }

  private consume(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }

  /** Reads steps up to the closing brace. */
  private insideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith("}")) {
        this.pos++;
        this.consume();
        return;
      }
      if (rest.startsWith("[?(")) {
        this.filter(cur);
        continue;
      }
      if (rest.startsWith("..")) {
        this.recursive(cur);
        continue;
      }
      const c = this.next();
      if (c === "" || isEndOfLine(c)) throw new JsonPathSyntaxError("unclosed action");
      if (c === " " || c === "@" || c === "$") this.consume();
      else if (c === "[") this.array(cur);
      else if (c === '"' || c === "'") this.quote(cur, c);
      else if (c === ".") this.field(cur);
      else if (c === "+" || c === "-" || /\d/.test(c)) {
        this.pos -= 1;
        this.number(cur);
      } else if (isAlphaNumeric(c)) {
        this.pos -= c.length;
        this.identifier(cur);
      } else throw new JsonPathSyntaxError(`unrecognized character in action: ${describeRune(c)}`);
    }
  }

  private identifier(cur: ListNode): void {
    while (!isTerminator(this.peek())) this.next();
    const value = this.consume();
    cur.nodes.push(
      value === "true" || value === "false"
        ? { kind: "bool", value: value === "true" }
        : { kind: "identifier", name: value },
    );
  }

  private recursive(cur: ListNode): void {
    if (cur.nodes.at(-1)?.kind === "recursive")
      throw new JsonPathSyntaxError("invalid multiple recursive descent");
    this.pos += 2;
    this.consume();
    cur.nodes.push({ kind: "recursive" });
    if (isAlphaNumeric(this.peek())) this.field(cur);
  }

  private number(cur: ListNode): void {
    if (this.peek() === "+" || this.peek() === "-") this.next();
    while (this.peek() === "." || /\d/.test(this.peek())) this.next();
    const text = this.consume();
    if (/^[+-]?\d+$/.test(text)) cur.nodes.push({ kind: "int", value: Number(text) });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) cur.nodes.push({ kind: "float", value: Number(text) });
    else throw new JsonPathSyntaxError(`cannot parse number ${text}`);
  }

  /** `[...]`: an index or slice, a union `[0,2]`, or a quoted key `['a.b']`. */
  private array(cur: ListNode): void {
    for (;;) {
      const c = this.next();
      if (c === "" || c === "\n") throw new JsonPathSyntaxError("unterminated array");
      if (c === "]") break;
    }
    let text = this.consume().slice(1, -1);
    if (text === "*") text = ":";
    const parts = text.split(",");
    if (parts.length > 1) {
      cur.nodes.push({ kind: "union", branches: parts.map((p) => parseAction(`[${p.trim()}]`)) });
      return;
    }
    const key = DICT_KEY.exec(text);
    if (key) {
      cur.nodes.push(...parseAction(`.${key[1]}`).nodes);
      return;
    }
    const m = SLICE.exec(text);
    if (!m) throw new JsonPathSyntaxError(`invalid array index ${text}`);
    const bound = (s: string | undefined) => (s === undefined || s === "" ? undefined : Number(s));
    const start = bound(m[1]);
    if (m[2] === undefined) {
      // `[3]` is the slice [3:4]; the end is worked out once the start is known (negative starts).
      cur.nodes.push({ kind: "array", start: start ?? 0, end: undefined, derivedEnd: start !== undefined });
      return;
    }
    cur.nodes.push({ kind: "array", start, end: bound(m[2].slice(1)), derivedEnd: false });
  }

  /** `[?(@.a=="b")]`, `[?(@.a)]` (exists). */
  private filter(cur: ListNode): void {
    this.pos += 3;
    this.consume();
    let open = false;
    let closed = false;
    let pair = "";
    for (;;) {
      const c = this.next();
      if (c === "" || c === "\n") throw new JsonPathSyntaxError("unterminated filter");
      if (c === '"' || c === "'") {
        if (!open) {
          open = true;
          pair = c;
        } else if (this.input[this.pos - 2] !== "\\" && c === pair) closed = true;
      } else if (c === ")" && open === closed) break;
    }
    if (this.next() !== "]") throw new JsonPathSyntaxError("unclosed array expect ]");
    const text = this.consume().slice(0, -2);
    const m = COMPARISON.exec(text);
    if (!m) {
      cur.nodes.push({
        kind: "filter",
        left: parseAction(text),
        right: { kind: "list", nodes: [] },
        op: "exists",
      });
      return;
    }
    cur.nodes.push({ kind: "filter", left: parseAction(m[1]!), right: parseAction(m[3]!), op: m[2]! });
  }

  private quote(cur: ListNode, end: string): void {
    for (;;) {
      const c = this.next();
      if (c === "" || c === "\n") throw new JsonPathSyntaxError("unterminated quoted string");
      if (c === end && this.input[this.pos - 2] !== "\\") break;
    }
    const value = this.consume();
    cur.nodes.push({ kind: "text", text: unquote(value) });
  }

  private field(cur: ListNode): void {
    this.consume();
    for (;;) {
      const c = this.peek();
      if (c === "\\") {
        this.next();
        this.next();
      } else if (isTerminator(c)) break;
      else this.next();
    }
    const value = this.consume();
    cur.nodes.push(
      value === "*" ? { kind: "wildcard" } : { kind: "field", name: value.replaceAll("\\", "") },
    );
  }
}

/** One action's steps, for the parts of a union, a quoted key and both sides of a filter. */
function parseAction(text: string): ListNode {
  return parseTemplate(`{${text}}`).nodes[0] as ListNode;
}

const ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
};

/** Go's strconv unquoting, for single quotes too: "\t" is a tab, "\u00e9" an é. */
function unquote(quoted: string): string {
  const body = quoted.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e !== undefined && e in ESCAPES) out += ESCAPES[e];
    else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw unquoteError(quoted);
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += n;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw unquoteError(quoted);
      out += String.fromCharCode(Number.parseInt(oct, 8));
      i += 2;
    } else throw unquoteError(quoted);
  }
  return out;
}

const unquoteError = (s: string) => new JsonPathSyntaxError(`unquote string ${s} error invalid syntax`);
