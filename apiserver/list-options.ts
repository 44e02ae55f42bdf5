// The options that choose where a watch starts (the watch-list of KEP-3157): sendInitialEvents
// and resourceVersionMatch, checked as kube-apiserver checks them (ValidateListOptions), with the
// same 422 on ListOptions.meta.k8s.io.
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

function parseBool(name: string, v: string): boolean {
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw badRequest(`${name} must be true or false, not "${v}"`);
}

/** sendInitialEvents as asked (undefined when not sent); throws 422 for a combination Kubernetes refuses. */
export function parseSendInitialEvents(q: URLSearchParams, watch: boolean): boolean | undefined {
  const raw = q.get("sendInitialEvents");
  const send = raw === null || raw === "" ? undefined : parseBool("sendInitialEvents", raw);
  const match = q.get("resourceVersionMatch") ?? "";
  const causes: StatusCause[] = [];
  if (!watch) {
    if (send !== undefined)
      causes.push(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
  } else if (send !== undefined) {
    if (match !== "NotOlderThan") {
      causes.push(
        forbidden(
          "resourceVersionMatch",
          "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
        ),
      );
    }
    if (q.get("continue")) {
      causes.push(
        forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"),
      );
    }
  } else if (match !== "") {
    causes.push(
      forbidden(
        "resourceVersionMatch",
        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
      ),
    );
  }
  if (causes.length > 0) throw invalid(LIST_OPTIONS, "", causes);
  return send;
}
