// kubectl's JSONPath: -o jsonpath, custom columns and --sort-by all read objects through it.

import {
  type EvalOptions,
  findResults,
  JsonPathEvalError,
  printResults,
  printResultsAsJson,
} from "./evaluate.js";
import { goSyntax } from "./go-format.js";
import { JsonPathSyntaxError, type ListNode, parseTemplate } from "./parse.js";

export { JsonPathEvalError } from "./evaluate.js";
export { goJson, goSprint, sortKeys } from "./go-format.js";
export { JsonPathSyntaxError } from "./parse.js";

/** A template that failed on an object; the message is kubectl's, debugging dump included. */
export class JsonPathTemplateError extends Error {}

export class JsonPath {
  private constructor(
    readonly template: string,
    private readonly root: ListNode,
  ) {}

  /** Throws JsonPathTemplateError with kubectl's "error parsing jsonpath" wording. */
  static parse(template: string): JsonPath {
    try {
      return new JsonPath(template, parseTemplate(template));
    } catch (err) {
      if (!(err instanceof JsonPathSyntaxError)) throw err;
      throw new JsonPathTemplateError(`error parsing jsonpath ${template}, ${err.message}`);
    }
  }

  /** The value groups (see findResults); throws JsonPathEvalError. */
  find(data: unknown, opts: EvalOptions): unknown[][] {
    return findResults(this.root, data, opts);
  }

  /** What `kubectl get -o jsonpath=...` prints for `data`, or kubectl's error with its dump. */
  execute(data: unknown, opts: EvalOptions & { asJson?: boolean }): string {
    try {
      const groups = this.find(data, opts);
      return opts.asJson ? printResultsAsJson(groups) : printResults(groups);
    } catch (err) {
      if (!(err instanceof JsonPathEvalError)) throw err;
      throw new JsonPathTemplateError(
        `error executing jsonpath ${goQuoted(this.template)}: Error executing template: ${err.message}. ` +
          "Printing more information for debugging the template:\n" +
          `\ttemplate was:\n\t\t${this.template}\n` +
          `\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n`,
      );
    }
  }
}

/** Go's %q for the template in the error line. */
const goQuoted = (s: string) => JSON.stringify(s);

/**
 * kubectl's relaxed paths for custom columns and --sort-by: `metadata.name`, `.metadata.name`,
 * `{metadata.name}` and `{.metadata.name}` all mean `{.metadata.name}`.
 */
export function relaxedJsonPath(expr: string): string {
  if (expr === "") return expr;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr);
  if (!m)
    throw new JsonPathTemplateError(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  return `{.${m[1] ?? m[2]}}`;
}
