// The Events section every describer ends with: the events about one object, found as kubectl
// finds them (field selector on involvedObject name, namespace, kind and uid), oldest first.

import type { Event, KubeObject, ResourceType } from "../../api/index.js";
import { RESOURCES } from "../../api/index.js";
import type { RestClient } from "../../client/index.js";
import { ageOf } from "../printers/age.js";
import type { DescribeWriter } from "./writer.js";

const EVENTS = RESOURCES.find((r) => r.kind === "Event" && r.group === "")!;

export async function eventsFor(client: RestClient, r: ResourceType, obj: KubeObject): Promise<Event[]> {
  const m = obj.metadata;
  const selector = [
    `involvedObject.name=${m.name}`,
    `involvedObject.namespace=${m.namespace ?? ""}`,
    `involvedObject.kind=${r.kind}`,
    m.uid ? `involvedObject.uid=${m.uid}` : "",
  ].filter(Boolean);
  const list = await client.listAll<Event>(EVENTS, {
    namespace: r.namespaced ? m.namespace : undefined,
    fieldSelector: selector.join(","),
  });
  return list.items.sort((a, b) => lastSeen(a).localeCompare(lastSeen(b)));
}

const lastSeen = (e: Event) =>
  e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? "";

/** "10s", or "3m (x4 over 10m)" for an event seen several times. */
function eventAge(e: Event, now: number): string {
  const count = e.series?.count ?? e.count ?? 1;
  const last = ageOf(e.series?.lastObservedTime ?? lastSeen(e), now);
  if (count <= 1) return last;
  const first = ageOf(e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp, now);
  return `${last} (x${count} over ${first})`;
}

export function writeEvents(w: DescribeWriter, events: Event[], now = Date.now()): void {
  if (events.length === 0) {
    w.line(0, "Events:\t<none>");
    return;
  }
  w.line(0, "Events:");
  w.table(
    1,
    ["Type", "Reason", "Age", "From", "Message"],
    events.map((e) => [
      e.type ?? "",
      e.reason ?? "",
      eventAge(e, now),
      e.source?.component ?? e.reportingComponent ?? "",
      (e.message ?? "").trim(),
    ]),
    ["----", "------", "----", "----", "-------"],
  );
}
