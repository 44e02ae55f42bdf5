import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { goFloat, goSprint } from "./go-format.js";
import { JsonPath, JsonPathTemplateError, relaxedJsonPath } from "./index.js";
import { parseTemplate } from "./parse.js";
import { CASES, LIST } from "./testdata/kubectl-golden.js";

/** What `k8ts get -o jsonpath=...` prints: stdout, exit code, first line of stderr. */
function run(template: string, data: unknown, allowMissingKeys: boolean) {
  try {
    const stdout = JsonPath.parse(template).execute(data, { allowMissingKeys });
    return { code: 0, stdout, error: "" };
  } catch (err) {
    if (!(err instanceof JsonPathTemplateError)) throw err;
    return { code: 1, stdout: "", error: `error: ${err.message}`.split("\n")[0] };
  }
}

describe("the same output as kubectl 1.32 (golden, recorded from the real kubectl)", () => {
  for (const c of CASES) {
    test(`${c.template} (missing keys ${c.allowMissingKeys ? "allowed" : "an error"})`, () => {
      const { code, stdout, error } = c;
      assert.deepEqual(run(c.template, LIST, c.allowMissingKeys), { code, stdout, error });
    });
  }
});

test("the error for a failed template carries kubectl's debugging dump of the object", () => {
  assert.throws(
    () =>
      JsonPath.parse("{.a.b}").execute(
        { a: { n: 1, f: 0.5, s: "x", l: [true, null] } },
        { allowMissingKeys: false },
      ),
    (err: Error) =>
      err.message ===
      'error executing jsonpath "{.a.b}": Error executing template: b is not found. Printing more information for debugging the template:\n' +
        "\ttemplate was:\n\t\t{.a.b}\n" +
        '\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{"a":map[string]interface {}{"f":0.5, "l":[]interface {}{true, interface {}(nil)}, "n":1, "s":"x"}}\n\n',
  );
});

const field = (name: string) => ({ kind: "field", name });
const list = (...nodes: unknown[]) => ({ kind: "list", nodes });

test("the parser: text, fields, slices, unions, quoted keys, filters, ranges", () => {
  const cases: [string, unknown[]][] = [
    ["a{.b}c", [{ kind: "text", text: "a" }, list(field("b")), { kind: "text", text: "c" }]],
    [
      "{.items[*].x}",
      [
        list(
          field("items"),
          { kind: "array", start: undefined, end: undefined, derivedEnd: false },
          field("x"),
        ),
      ],
    ],
    ["{.l[-1]}", [list(field("l"), { kind: "array", start: -1, end: undefined, derivedEnd: true })]],
    ["{.l[1:3]}", [list(field("l"), { kind: "array", start: 1, end: 3, derivedEnd: false })]],
    ["{.m['a']}", [list(field("m"), field("a"))]],
    // As in kubectl, a quoted key is a path: 'a.b' is a then b; `a\.b` is one key.
    ["{.m['a.b']}", [list(field("m"), field("a"), field("b"))]],
    ["{.m.a\\.b}", [list(field("m"), field("a.b"))]],
    ["{..x}", [list({ kind: "recursive" }, field("x"))]],
    ["{.m.*}", [list(field("m"), { kind: "wildcard" })]],
    ['{"\\t"}', [list({ kind: "text", text: "\t" })]],
    [
      "{range .items[*]}{end}",
      [
        list({ kind: "identifier", name: "range" }, field("items"), {
          kind: "array",
          start: undefined,
          end: undefined,
          derivedEnd: false,
        }),
        list({ kind: "identifier", name: "end" }),
      ],
    ],
    [
      '{.l[?(@.a=="x")]}',
      [
        list(field("l"), {
          kind: "filter",
          left: list(field("a")),
          right: list({ kind: "text", text: "x" }),
          op: "==",
        }),
      ],
    ],
    [
      "{.l[0,2]}",
      [
        list(field("l"), {
          kind: "union",
          branches: [
            list({ kind: "array", start: 0, end: undefined, derivedEnd: true }),
            list({ kind: "array", start: 2, end: undefined, derivedEnd: true }),
          ],
        }),
      ],
    ],
  ];
  for (const [template, nodes] of cases) assert.deepEqual(parseTemplate(template).nodes, nodes, template);
});

test("parse errors are worded as kubectl words them", () => {
  const cases: [string, string][] = [
    ["{.a", "error parsing jsonpath {.a, unclosed action"],
    ["{.a[1}", "error parsing jsonpath {.a[1}, unterminated array"],
    ["{.a[x]}", "error parsing jsonpath {.a[x]}, invalid array index x"],
    ["{.a[?(@.b==1}", "error parsing jsonpath {.a[?(@.b==1}, unterminated filter"],
    ['{"a}', 'error parsing jsonpath {"a}, unterminated quoted string'],
    ["{..a..b}", ""],
    ["{.a,b}", "error parsing jsonpath {.a,b}, unrecognized character in action: U+002C ','"],
  ];
  for (const [template, message] of cases) {
    if (message === "") assert.doesNotThrow(() => JsonPath.parse(template));
    else assert.throws(() => JsonPath.parse(template), { message }, template);
  }
});

test("Go's printing of values: floats, maps, lists, null", () => {
  const cases: [number, string][] = [
    [0.5, "0.5"],
    [3, "3"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [1e21, "1e+21"],
    [123456789, "123456789"],
  ];
  for (const [n, s] of cases) assert.equal(goFloat(n), s);
  assert.equal(goSprint({ b: [1, "x"], a: { c: null } }), "map[a:map[c:<nil>] b:[1 x]]");
  assert.equal(
    JsonPath.parse("{.m}").execute({ m: { b: "<&>", a: 1 } }, { allowMissingKeys: true }),
    '{"a":1,"b":"\\u003c\\u0026\\u003e"}',
  );
  assert.equal(
    JsonPath.parse("{.l[*]}").execute({ l: [1] }, { allowMissingKeys: true, asJson: true }),
    "[\n    1\n]\n",
  );
});

test("relaxed paths for custom columns and --sort-by", () => {
  for (const p of ["metadata.name", ".metadata.name", "{metadata.name}", "{.metadata.name}"])
    assert.equal(relaxedJsonPath(p), "{.metadata.name}");
  assert.throws(() => relaxedJsonPath("{a}{b}"), /unexpected path string/);
});
