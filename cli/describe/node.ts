// describe node: roles, taints, conditions, addresses, capacity and allocatable, the pods on it
// with their requests, what is allocated in total, events.

import type { Node, Pod } from "../../api/index.js";
import { RESOURCES } from "../../api/index.js";
import { ageOf } from "../printers/age.js";
import { nodeAllocation, podRequests } from "../top/allocation.js";
import { formatCpu, formatMemory } from "../top/format.js";
import type { Describer } from "./describer.js";
import { eventsFor, writeEvents } from "./events.js";
import { describeTime } from "./template.js";
import { DescribeWriter } from "./writer.js";

const PODS = RESOURCES.find((r) => r.kind === "Pod")!;
const ROLE_PREFIX = "node-role.kubernetes.io/";

export const nodeDescriber: Describer = {
  async describe(client, r, obj, now) {
    const n = obj as Node;
    const w = new DescribeWriter();
    const labels = n.metadata.labels ?? {};
    const roles = Object.keys(labels)
      .filter((k) => k.startsWith(ROLE_PREFIX))
      .map((k) => k.slice(ROLE_PREFIX.length));
    w.field(0, "Name", n.metadata.name).field(0, "Roles", roles.join(","));
    w.map(0, "Labels", labels).map(0, "Annotations", n.metadata.annotations);
    w.field(0, "CreationTimestamp", describeTime(n.metadata.creationTimestamp));
    const taints = (n.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`);
    w.continued(0, "Taints", taints);
    w.field(0, "Unschedulable", n.spec?.unschedulable ? "true" : "false");
    const conditions = n.status?.conditions ?? [];
    w.line(0, "Conditions:");
    w.table(
      1,
      ["Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message"],
      conditions.map((c) => [
        c.type,
        c.status,
        c.lastHeartbeatTime ?? "",
        c.lastTransitionTime ?? "",
        c.reason ?? "",
        c.message ?? "",
      ]),
    );
    w.line(0, "Addresses:");
    for (const a of n.status?.addresses ?? []) w.field(1, a.type, a.address);
    for (const [key, list] of [
      ["Capacity", n.status?.capacity],
      ["Allocatable", n.status?.allocatable],
    ] as const) {
      w.line(0, `${key}:`);
      for (const [k, v] of Object.entries(list ?? {})) w.field(1, k, String(v));
    }
    const info = n.status?.nodeInfo;
    if (info) {
      w.line(0, "System Info:");
      w.field(1, "Kernel Version", info.kernelVersion).field(1, "OS Image", info.osImage);
      w.field(1, "Operating System", info.operatingSystem).field(1, "Architecture", info.architecture);
      w.field(1, "Container Runtime Version", info.containerRuntimeVersion).field(
        1,
        "Kubelet Version",
        info.kubeletVersion,
      );
    }
    if (n.spec?.podCIDR) w.field(0, "PodCIDR", n.spec.podCIDR);
    const pods = (
      await client.listAll<Pod>(PODS, {
        fieldSelector: `spec.nodeName=${n.metadata.name},status.phase!=Succeeded,status.phase!=Failed`,
      })
    ).items;
    const alloc = nodeAllocation(n, pods);
    const pct = (used: number, total: number) => (total > 0 ? ` (${Math.floor((used * 100) / total)}%)` : "");
    w.line(0, `Non-terminated Pods:\t(${pods.length} in total)`);
    w.table(
      1,
      ["Namespace", "Name", "CPU Requests", "Memory Requests", "Age"],
      pods.map((p) => {
        const req = podRequests(p);
        return [
          p.metadata.namespace ?? "",
          p.metadata.name ?? "",
          `${formatCpu(req.cpuMillis)}${pct(req.cpuMillis, alloc.cpu.allocatable)}`,
          `${formatMemory(req.memoryBytes)}${pct(req.memoryBytes, alloc.memory.allocatable)}`,
          ageOf(p.metadata.creationTimestamp, now),
        ];
      }),
    );
    w.line(0, "Allocated resources:");
    w.table(
      1,
      ["Resource", "Requests"],
      [
        ["cpu", `${formatCpu(alloc.cpu.requested)}${pct(alloc.cpu.requested, alloc.cpu.allocatable)}`],
        [
          "memory",
          `${formatMemory(alloc.memory.requested)}${pct(alloc.memory.requested, alloc.memory.allocatable)}`,
        ],
        ["pods", `${pods.length}${pct(pods.length, alloc.pods.allocatable)}`],
      ],
    );
    writeEvents(w, await eventsFor(client, r, n), now);
    return w.toString();
  },
};
