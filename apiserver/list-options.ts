// The options that choose where a watch starts (the watch-list of KEP-3157): sendInitialEvents
// and resourceVersionMatch, checked on a watch as kube-apiserver's ValidateListOptions checks them,
// with the same 422 on ListOptions.meta.k8s.io. A list may not send sendInitialEvents; its
// resourceVersionMatch is not looked at (a list's resourceVersion is served as "not older than").
//
//   sendInitialEvents=true   the watch first sends the current state as ADDED events, then (with
//                            allowWatchBookmarks=true) a BOOKMARK annotated
//                            k8s.io/initial-events-end, then the changes: a list and a watch in
//                            one stream. resourceVersion "" asks for the most recent state, "0"
//                            for any, N for one at least as new as N.
//   sendInitialEvents=false  no initial state: changes after resourceVersion ("": after now).
// Either needs resourceVersionMatch=NotOlderThan, which a watch may not send alone.

import type { StatusCause } from "../api/meta.js";
import { badRequest, invalid } from "./errors.js";

const LIST_OPTIONS = { kind: "ListOptions", group: "meta.k8s.io" };

function forbidden(field: string, message: string): StatusCause {
  return { reason: "FieldValueForbidden", field, message: `Forbidden: ${message}` };
}

/** The spellings Go's strconv.ParseBool accepts, as kube-apiserver reads query booleans. */
const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** A boolean query parameter (undefined when absent or empty); 400 for anything else. */
export function queryBool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw badRequest(`${name} must be true or false, not "${v}"`);
}

/** sendInitialEvents as asked (undefined when not sent); throws 422 for a combination Kubernetes refuses. */
export function parseSendInitialEvents(q: URLSearchParams, watch: boolean): boolean | undefined {
  const send = queryBool(q, "sendInitialEvents");
  const match = q.get("resourceVersionMatch") ?? "";
  const causes: StatusCause[] = [];
  if (!watch) {
    if (send !== undefined)
      causes.push(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
  } else {
    if (send !== undefined && match !== "NotOlderThan") {
      causes.push(
        forbidden(
          "resourceVersionMatch",
          "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
        ),
      );
    } else if (send === undefined && match !== "") {
      causes.push(
        forbidden(
          "resourceVersionMatch",
          "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
        ),
      );
    }
    if (match !== "" && match !== "NotOlderThan") {
      causes.push({
        reason: "FieldValueNotSupported",
        field: "resourceVersionMatch",
        message: `Unsupported value: "${match}": supported values: "NotOlderThan"`,
      });
    }
    if (match !== "" && q.get("continue")) {
      causes.push(
        forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"),
      );
    }
  }
  if (causes.length > 0) throw invalid(LIST_OPTIONS, "", causes);
  return send;
}
