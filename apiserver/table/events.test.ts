import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/meta.js";
import { eventPrinter } from "./events.js";

const NOW = new Date("2026-01-02T03:04:05Z");
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString();

function event(fields: object): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "p1.17a", namespace: "default", creationTimestamp: ago(600) },
    involvedObject: { kind: "Pod", name: "p1", namespace: "default", fieldPath: "spec.containers{main}" },
    type: "Normal",
    reason: "Pulled",
    message: 'Successfully pulled image "nginx"\n',
    source: { component: "kubelet", host: "node-1" },
    ...fields,
  };
}

test("event cells in column order: LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME", () => {
  const e = event({ firstTimestamp: ago(300), lastTimestamp: ago(5), count: 3 });
  assert.deepEqual(eventPrinter.cells(e, NOW), [
    "5s",
    "Normal",
    "Pulled",
    "pod/p1",
    "spec.containers{main}",
    "kubelet, node-1",
    'Successfully pulled image "nginx"',
    "5m",
    3,
    "p1.17a",
  ]);
  assert.deepEqual(
    eventPrinter.columns.map((c) => `${c.name}:${c.priority}`),
    [
      "Last Seen:0",
      "Type:0",
      "Reason:0",
      "Object:0",
      "Subobject:1",
      "Source:1",
      "Message:0",
      "First Seen:1",
      "Count:1",
      "Name:1",
    ],
  );
});

test("events of the new API: eventTime, series, reporting controller; singletons count 1", () => {
  const single = event({
    eventTime: ago(70),
    source: {},
    reportingComponent: "default-scheduler",
    reportingInstance: "",
    involvedObject: { kind: "Pod", name: "p1" },
  });
  const cells = eventPrinter.cells(single, NOW);
  assert.deepEqual(
    [cells[0], cells[4], cells[5], cells[7], cells[8]],
    ["70s", "", "default-scheduler", "70s", 1],
  );
  const series = event({ eventTime: ago(3600), series: { count: 12, lastObservedTime: ago(30) } });
  const s = eventPrinter.cells(series, NOW);
  assert.deepEqual([s[0], s[7], s[8]], ["30s", "60m", 12]);
});

test("an event about a kind without a name, and one without any time", () => {
  const e = event({ involvedObject: { kind: "Node" }, source: { component: "k8ts" } });
  const cells = eventPrinter.cells(e, NOW);
  assert.deepEqual([cells[0], cells[3], cells[5], cells[7]], ["<unknown>", "node", "k8ts", "<unknown>"]);
});
