import assert from "node:assert/strict";
import { test } from "node:test";
import type { LabelSelector } from "./meta.js";
import {
  fieldRequirementsMatch,
  formatLabelSelector,
  labelMatcherFromSelector,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from "./selectors.js";

const web = { app: "web", tier: "front", version: "3" };

test("label selector strings match as Kubernetes' labels.Parse does", () => {
  const cases: [selector: string, labels: Record<string, string> | undefined, want: boolean][] = [
    ["", web, true],
    ["", undefined, true],
    ["app=web", web, true],
    ["app==web", web, true],
    ["app=db", web, false],
    ["app!=db", web, true],
    ["app!=web", web, false],
    ["missing!=x", web, true],
    ["app in (web,db)", web, true],
    ["app in (db)", web, false],
    ["app notin (db)", web, true],
    ["missing notin (db)", web, true],
    ["app notin (web)", web, false],
    ["app", web, true],
    ["missing", web, false],
    ["!missing", web, true],
    ["!app", web, false],
    ["version>2", web, true],
    ["version<3", web, false],
    ["tier>1", web, false],
    ["app=web,tier=front", web, true],
    ["app=web,tier=back", web, false],
    ["  app = web ,  tier in ( front , back )  ", web, true],
    ["app=web", undefined, false],
    ["missing=", web, false],
    ["empty=", { empty: "" }, true],
    ["x in (in)", { x: "in" }, true],
    ["a in (,b)", { a: "" }, true],
    ["example.com/role=db", { "example.com/role": "db" }, true],
  ];
  for (const [sel, labels, want] of cases) {
    assert.equal(
      parseLabelSelector(sel).matches(labels),
      want,
      `${JSON.stringify(sel)} on ${JSON.stringify(labels)}`,
    );
  }
});

test("label selectors print sorted by key in canonical form", () => {
  const cases: [string, string][] = [
    ["tier=front,app==web", "app==web,tier=front"],
    ["x notin (c,a,b), !y", "x notin (a,b,c),!y"],
    ["z", "z"],
  ];
  for (const [input, printed] of cases) assert.equal(parseLabelSelector(input).toString(), printed);
  assert.equal(parseLabelSelector("").empty, true);
  assert.equal(parseLabelSelector("a").empty, false);
});

test("malformed label selectors fail with Kubernetes' messages", () => {
  const cases: [string, string][] = [
    ["app=web,", "found '', expected: identifier after ','"],
    ["app web", "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"],
    ["app in web", "unable to parse requirement: found 'web' expected: '('"],
    ["app in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ["=web", "found '=', expected: !, identifier, or 'end of string'"],
    ["!a=b", "found '=', expected: ',' or 'end of string'"],
    [
      "a>b",
      "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
    ["app=a b", "found 'b', expected: ',' or 'end of string'"],
    [
      "app=-web",
      "unable to parse requirement: values[0][app]: Invalid value: \"-web\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
    [
      "Bad_=x",
      "unable to parse requirement: <nil>: Invalid value: \"Bad_\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseLabelSelector(input),
      (e: unknown) => e instanceof SelectorError && e.message === message,
      `parse(${JSON.stringify(input)})`,
    );
  }
});

test("metav1.LabelSelector: nil selects nothing, {} selects everything, otherwise AND", () => {
  assert.equal(labelMatcherFromSelector(undefined).matches(web), false);
  assert.equal(labelMatcherFromSelector(undefined).empty, false);
  assert.equal(labelMatcherFromSelector({}).matches(web), true);
  assert.equal(labelMatcherFromSelector({}).empty, true);
  const sel: LabelSelector = {
    matchLabels: { app: "web" },
    matchExpressions: [
      { key: "tier", operator: "In", values: ["front", "edge"] },
      { key: "canary", operator: "DoesNotExist" },
    ],
  };
  assert.equal(labelMatcherFromSelector(sel).matches(web), true);
  assert.equal(labelMatcherFromSelector(sel).matches({ ...web, canary: "1" }), false);
  assert.equal(
    labelMatcherFromSelector({ matchExpressions: [{ key: "version", operator: "Exists" }] }).matches(web),
    true,
  );
  assert.equal(
    labelMatcherFromSelector({
      matchExpressions: [{ key: "app", operator: "NotIn", values: ["web"] }],
    }).matches(web),
    false,
  );
});

test("formatLabelSelector prints as metav1.FormatLabelSelector", () => {
  assert.equal(formatLabelSelector({ matchLabels: { app: "web" } }), "app=web");
  assert.equal(
    formatLabelSelector({
      matchLabels: { tier: "front" },
      matchExpressions: [
        { key: "app", operator: "In", values: ["web", "api"] },
        { key: "x", operator: "Exists" },
        { key: "y", operator: "DoesNotExist" },
      ],
    }),
    "app in (api,web),tier=front,x,!y",
  );
  assert.equal(formatLabelSelector({}), "<none>");
  assert.equal(
    formatLabelSelector({ matchExpressions: [{ key: "a", operator: "Near" as "In" }] }),
    "<error>",
  );
});

test("field selectors parse =, ==, != and escapes", () => {
  assert.deepEqual(parseFieldSelector(""), []);
  assert.deepEqual(parseFieldSelector("metadata.name=web,spec.nodeName!=n1,status.phase==Running"), [
    { field: "metadata.name", op: "=", value: "web" },
    { field: "spec.nodeName", op: "!=", value: "n1" },
    { field: "status.phase", op: "=", value: "Running" },
  ]);
  assert.deepEqual(parseFieldSelector("spec.nodeName="), [{ field: "spec.nodeName", op: "=", value: "" }]);
  assert.deepEqual(parseFieldSelector("metadata.name=a\\,b\\=c\\\\d"), [
    { field: "metadata.name", op: "=", value: "a,b=c\\d" },
  ]);
  const cases: [string, string][] = [
    ["metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ["a=b=c", "invalid field selector: unescaped character in value: ="],
    ["a=b\\x", "invalid field selector: invalid escape sequence: \\x"],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseFieldSelector(input),
      (e: unknown) => e instanceof SelectorError && e.message === message,
      input,
    );
  }
});

test("field requirements match against field values", () => {
  const fields: Record<string, string> = { "metadata.name": "web", "spec.nodeName": "" };
  const get = (f: string) => fields[f] ?? "";
  assert.equal(fieldRequirementsMatch(parseFieldSelector("metadata.name=web"), get), true);
  assert.equal(fieldRequirementsMatch(parseFieldSelector("spec.nodeName="), get), true);
  assert.equal(fieldRequirementsMatch(parseFieldSelector("spec.nodeName!="), get), false);
  assert.equal(fieldRequirementsMatch(parseFieldSelector("metadata.name=web,spec.nodeName=n1"), get), false);
});
