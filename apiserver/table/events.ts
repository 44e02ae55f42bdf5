// Events: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME
// (printEvent). Events written through events.k8s.io carry eventTime and series instead of
// firstTimestamp/lastTimestamp/count; both shapes print the same way. The wide columns sit between
// the default ones, so the server emits them in column order, not appended.

import type { Event } from "../../api/core-v1.js";
import { formatAge } from "./human-duration.js";
import { column, NAME_COLUMN, type Printer } from "./printer.js";

/** "kubelet, node-1": component and host, falling back to the reporting controller and instance. */
function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || "";
  const instance = e.source?.host || e.reportingInstance || "";
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns: [
    column("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
    column("Type", "string", "Type of this event (Normal, Warning)."),
    column("Reason", "string", "A short, machine understandable string for why the event happened."),
    column("Object", "string", "The object that this event is about."),
    column("Subobject", "string", "The part of the object the event is about (involvedObject.fieldPath).", {
      priority: 1,
    }),
    column("Source", "string", "The component reporting this event.", { priority: 1 }),
    column("Message", "string", "A human-readable description of the status of this operation."),
    column("First Seen", "string", "The time at which the event was first recorded.", { priority: 1 }),
    column("Count", "string", "The number of times this event has occurred.", { priority: 1 }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells(obj, now) {
    const e = obj as Event;
    let first = formatAge(e.firstTimestamp, now);
    if (!e.firstTimestamp) first = formatAge(e.eventTime, now);
    let last = e.lastTimestamp ? formatAge(e.lastTimestamp, now) : first;
    let count = e.count ?? 0;
    if (e.series) {
      last = formatAge(e.series.lastObservedTime, now);
      count = e.series.count ?? 0;
    } else if (count === 0) count = 1; // a singleton event of the new API has no count
    const kind = (e.involvedObject?.kind ?? "").toLowerCase();
    const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
    return [
      last,
      e.type ?? "",
      e.reason ?? "",
      target,
      e.involvedObject?.fieldPath ?? "",
      eventSource(e),
      (e.message ?? "").trim(),
      first,
      count,
      e.metadata.name ?? "",
    ];
  },
};
