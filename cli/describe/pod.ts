// describe pod: identity, placement, status, containers, conditions, volumes, QoS, events.

import type { Pod } from "../../api/index.js";
import type { Describer } from "./describer.js";
import { eventsFor, writeEvents } from "./events.js";
import { describeTime, formatMap, tolerationText, writeContainers } from "./template.js";
import { DescribeWriter } from "./writer.js";

function podStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return "Terminating";
  return p.status?.phase ?? "Unknown";
}

export const podDescriber: Describer = {
  async describe(client, r, obj, now) {
    const p = obj as Pod;
    const spec = p.spec;
    const st = p.status;
    const w = new DescribeWriter();
    w.field(0, "Name", p.metadata.name).field(0, "Namespace", p.metadata.namespace);
    w.field(0, "Priority", spec?.priority ?? 0);
    if (spec?.priorityClassName) w.field(0, "Priority Class Name", spec.priorityClassName);
    if (spec?.serviceAccountName) w.field(0, "Service Account", spec.serviceAccountName);
    w.field(0, "Node", spec?.nodeName ? `${spec.nodeName}/${st?.hostIP ?? ""}` : undefined);
    if (st?.startTime) w.field(0, "Start Time", describeTime(st.startTime));
    w.map(0, "Labels", p.metadata.labels);
    w.map(0, "Annotations", p.metadata.annotations);
    w.field(0, "Status", podStatus(p));
    if (p.metadata.deletionTimestamp) {
      w.field(0, "Termination Grace Period", `${p.metadata.deletionGracePeriodSeconds ?? 0}s`);
    }
    if (st?.reason) w.field(0, "Reason", st.reason);
    if (st?.message) w.field(0, "Message", st.message);
    w.line(0, `IP:\t${st?.podIP ?? ""}`);
    const ips = st?.podIPs ?? [];
    if (ips.length === 0) w.field(0, "IPs", undefined);
    else {
      w.line(0, "IPs:");
      for (const ip of ips) w.line(1, `IP:\t${ip.ip}`);
    }
    const owner = p.metadata.ownerReferences?.find((o) => o.controller);
    if (owner) w.field(0, "Controlled By", `${owner.kind}/${owner.name}`);
    writeContainers(w, 0, "Init Containers", spec?.initContainers, st?.initContainerStatuses);
    writeContainers(w, 0, "Containers", spec?.containers, st?.containerStatuses);
    const conditions = st?.conditions ?? [];
    if (conditions.length > 0) {
      w.line(0, "Conditions:");
      w.table(
        1,
        ["Type", "Status"],
        conditions.map((c) => [c.type, c.status]),
      );
    }
    const vols = spec?.volumes ?? [];
    if (vols.length === 0) w.field(0, "Volumes", undefined);
    else {
      w.line(0, "Volumes:");
      for (const v of vols) {
        w.line(1, `${v.name}:`);
        const kind = Object.keys(v).find((k) => k !== "name") ?? "";
        w.field(2, "Type", kind);
      }
    }
    w.field(0, "QoS Class", st?.qosClass);
    w.field(0, "Node-Selectors", formatMap(spec?.nodeSelector));
    const tolerations = (spec?.tolerations ?? []).map(tolerationText);
    w.continued(0, "Tolerations", tolerations);
    writeEvents(w, await eventsFor(client, r, p), now);
    return w.toString();
  },
};
