// Containers and pod templates as describe prints them, shared by pods, deployments and
// `rollout history --revision`.

import type { Container, ContainerState, ContainerStatus, PodTemplateSpec, Probe } from "../../api/index.js";
import type { DescribeWriter } from "./writer.js";

function probeText(p: Probe): string {
  const how = p.httpGet
    ? `http-get ${p.httpGet.scheme === "HTTPS" ? "https" : "http"}://${p.httpGet.host ?? ""}:${p.httpGet.port}${p.httpGet.path ?? ""}`
    : p.tcpSocket
      ? `tcp-socket :${p.tcpSocket.port}`
      : p.exec
        ? `exec [${(p.exec.command ?? []).join(" ")}]`
        : p.grpc
          ? `grpc <pod>:${p.grpc.port}`
          : "unknown";
  return `${how} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
}

function writeState(w: DescribeWriter, level: number, key: string, s: ContainerState | undefined) {
  if (s?.running) {
    w.field(level, key, "Running").field(level + 1, "Started", s.running.startedAt);
  } else if (s?.waiting) {
    w.field(level, key, "Waiting").field(level + 1, "Reason", s.waiting.reason);
    if (s.waiting.message) w.field(level + 1, "Message", s.waiting.message);
  } else if (s?.terminated) {
    const t = s.terminated;
    w.field(level, key, "Terminated").field(level + 1, "Reason", t.reason);
    if (t.message) w.field(level + 1, "Message", t.message);
    w.field(level + 1, "Exit Code", t.exitCode);
    w.field(level + 1, "Started", t.startedAt).field(level + 1, "Finished", t.finishedAt);
  } else if (key === "State") {
    w.field(level, key, "Waiting");
  }
}

export function writeContainers(
  w: DescribeWriter,
  level: number,
  title: string,
  containers: Container[] | undefined,
  statuses: ContainerStatus[] = [],
): void {
  if (!containers?.length) return;
  w.line(level, `${title}:`);
  for (const c of containers) {
    const st = statuses.find((s) => s.name === c.name);
    w.line(level + 1, `${c.name}:`);
    const l = level + 2;
    if (st?.containerID) w.field(l, "Container ID", st.containerID);
    w.field(l, "Image", c.image);
    if (st) w.field(l, "Image ID", st.imageID);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? "TCP"}`);
    w.field(l, ports.length > 1 ? "Ports" : "Port", ports.join(", "));
    w.field(l, hostPorts.length > 1 ? "Host Ports" : "Host Port", hostPorts.join(", "));
    for (const [key, list] of [
      ["Command", c.command],
      ["Args", c.args],
    ] as const) {
      if (!list?.length) continue;
      w.line(l, `${key}:`);
      for (const a of list) w.line(l + 1, a);
    }
    if (st) {
      writeState(w, l, "State", st.state);
      writeState(w, l, "Last State", st.lastState);
      w.field(l, "Ready", st.ready ? "True" : "False").field(l, "Restart Count", st.restartCount);
    }
    for (const [key, list] of [
      ["Limits", c.resources?.limits],
      ["Requests", c.resources?.requests],
    ] as const) {
      if (!list || Object.keys(list).length === 0) continue;
      w.line(l, `${key}:`);
      for (const [k, v] of Object.entries(list)) w.field(l + 1, k, String(v));
    }
    if (c.livenessProbe) w.field(l, "Liveness", probeText(c.livenessProbe));
    if (c.readinessProbe) w.field(l, "Readiness", probeText(c.readinessProbe));
    if (c.startupProbe) w.field(l, "Startup", probeText(c.startupProbe));
    if (c.env?.length) {
      w.line(l, "Environment:");
      for (const e of c.env) w.field(l + 1, e.name, e.value ?? (e.valueFrom ? "<set from a reference>" : ""));
    } else {
      w.field(l, "Environment", undefined);
    }
    const mounts = (c.volumeMounts ?? []).map(
      (m) => `${m.mountPath} from ${m.name} (${m.readOnly ? "ro" : "rw"})`,
    );
    if (mounts.length === 0) w.field(l, "Mounts", undefined);
    else {
      w.line(l, "Mounts:");
      for (const m of mounts) w.line(l + 1, m);
    }
  }
}

export function writePodTemplate(w: DescribeWriter, level: number, t: PodTemplateSpec | undefined): void {
  w.line(level, "Pod Template:");
  w.map(level + 1, "Labels", t?.metadata?.labels);
  if (Object.keys(t?.metadata?.annotations ?? {}).length > 0)
    w.map(level + 1, "Annotations", t?.metadata?.annotations);
  writeContainers(w, level + 1, "Init Containers", t?.spec?.initContainers);
  writeContainers(w, level + 1, "Containers", t?.spec?.containers);
  const vols = t?.spec?.volumes ?? [];
  if (vols.length === 0) w.field(level + 1, "Volumes", undefined);
  else {
    w.line(level + 1, "Volumes:");
    for (const v of vols) w.line(level + 2, `${v.name}:\t${Object.keys(v).find((k) => k !== "name") ?? ""}`);
  }
  w.field(level + 1, "Node-Selectors", formatMap(t?.spec?.nodeSelector));
  w.field(level + 1, "Tolerations", (t?.spec?.tolerations ?? []).map(tolerationText).join(", "));
}

export function formatMap(m: Record<string, string> | undefined): string {
  return Object.entries(m ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

export function tolerationText(t: {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}): string {
  let s = t.key ?? "";
  if (t.operator !== "Exists" && t.value) s += `=${t.value}`;
  if (t.effect) s += `:${t.effect}`;
  if (t.operator === "Exists" && !t.key) s = `op=Exists${t.effect ? `:${t.effect}` : ""}`;
  else if (t.operator === "Exists") s += " op=Exists";
  if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
  return s;
}

/** Timestamps as describe shows them (Go's RFC1123Z): "Thu, 26 Nov 2026 01:55:31 +0000". */
export function describeTime(ts: string | undefined): string | undefined {
  return ts ? new Date(ts).toUTCString().replace("GMT", "+0000") : undefined;
}
