// PodSpec rules shared by Pods and pod templates (pkg/apis/core/validation: ValidatePodSpec).

import type { Container, PodSpec } from "../core-v1.js";
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from "../names.js";
import { validateContainer, validateResourceList } from "./container.js";
import {
  child,
  duplicate,
  type FieldError,
  index,
  inRange,
  invalid,
  invalidIf,
  nonNegative,
  oneOfIfSet,
  required,
} from "./field-error.js";
import { validateLabels } from "./object-meta.js";
import { validateAffinity, validateTolerations, validateTopologySpreadConstraints } from "./scheduling.js";
import { validateVolumes } from "./volumes.js";

export const RESTART_POLICIES = ["Always", "Never", "OnFailure"];
const DNS_POLICIES = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
const PREEMPTION_POLICIES = ["Never", "PreemptLowerPriority"];
const MAX_INT32 = 2147483647;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function validatePodSpec(spec: PodSpec | undefined, path: string): FieldError[] {
  if (!spec) return [required(path)];
  const errs: FieldError[] = [];
  const { errs: volumeErrs, names: volumes } = validateVolumes(spec.volumes, child(path, "volumes"));
  errs.push(...volumeErrs);

  const hostNetwork = spec.hostNetwork === true;
  if ((spec.containers ?? []).length === 0) errs.push(required(child(path, "containers")));
  // Container names are unique across init and regular containers.
  const names = new Set<string>();
  const eachContainer = (list: Container[] | undefined, field: string, init: boolean) => {
    (list ?? []).forEach((c, i) => {
      const p = index(child(path, field), i);
      if (!c.name) errs.push(required(child(p, "name")));
      else {
        errs.push(...invalidIf(child(p, "name"), c.name, isDNS1123Label(c.name)));
        if (names.has(c.name)) errs.push(duplicate(child(p, "name"), c.name));
        names.add(c.name);
      }
      errs.push(...validateContainer(c, p, { volumes, hostNetwork, init }));
    });
  };
  eachContainer(spec.initContainers, "initContainers", true);
  eachContainer(spec.containers, "containers", false);
  errs.push(...validateHostPorts(spec, path));
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    const p = child(index(child(path, "schedulingGates"), i), "name");
    errs.push(...invalidIf(p, g.name, isQualifiedName(g.name ?? "")));
    if (gates.has(g.name)) errs.push(duplicate(p, g.name));
    gates.add(g.name);
  });

  if (!spec.restartPolicy) errs.push(required(child(path, "restartPolicy")));
  else errs.push(...oneOfIfSet(child(path, "restartPolicy"), spec.restartPolicy, RESTART_POLICIES));
  errs.push(...oneOfIfSet(child(path, "dnsPolicy"), spec.dnsPolicy, DNS_POLICIES));
  if (spec.dnsPolicy === "None" && !spec.dnsConfig) {
    errs.push(required(child(path, "dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"));
  }
  errs.push(...oneOfIfSet(child(path, "preemptionPolicy"), spec.preemptionPolicy, PREEMPTION_POLICIES));
  errs.push(...nonNegative(child(path, "terminationGracePeriodSeconds"), spec.terminationGracePeriodSeconds));
  errs.push(...inRange(child(path, "activeDeadlineSeconds"), spec.activeDeadlineSeconds, 1, MAX_INT32));
  errs.push(...validateLabels(spec.nodeSelector, child(path, "nodeSelector")));
  for (const f of [
    "nodeName",
    "serviceAccountName",
    "schedulerName",
    "priorityClassName",
    "runtimeClassName",
  ] as const) {
    const v = spec[f];
    if (v) errs.push(...invalidIf(child(path, f), v, isDNS1123Subdomain(v)));
  }
  for (const f of ["hostname", "subdomain"] as const) {
    const v = spec[f];
    if (v) errs.push(...invalidIf(child(path, f), v, isDNS1123Label(v)));
  }
  const sc = spec.securityContext;
  if (sc) {
    const p = child(path, "securityContext");
    errs.push(...inRange(child(p, "runAsUser"), sc.runAsUser, 0, MAX_INT32));
    errs.push(...inRange(child(p, "runAsGroup"), sc.runAsGroup, 0, MAX_INT32));
    errs.push(...inRange(child(p, "fsGroup"), sc.fsGroup, 0, MAX_INT32));
    errs.push(
      ...oneOfIfSet(child(p, "fsGroupChangePolicy"), sc.fsGroupChangePolicy, ["Always", "OnRootMismatch"]),
    );
  }
  errs.push(...validateAffinity(spec.affinity, child(path, "affinity")));
  errs.push(...validateTolerations(spec.tolerations, child(path, "tolerations")));
  errs.push(
    ...validateTopologySpreadConstraints(
      spec.topologySpreadConstraints,
      child(path, "topologySpreadConstraints"),
    ),
  );
  (spec.readinessGates ?? []).forEach((g, i) => {
    const p = child(index(child(path, "readinessGates"), i), "conditionType");
    errs.push(...invalidIf(p, g.conditionType, isQualifiedName(g.conditionType ?? "")));
  });
  (spec.hostAliases ?? []).forEach((a, i) => {
    const p = index(child(path, "hostAliases"), i);
    if (!IPV4.test(a.ip ?? "") && !(a.ip ?? "").includes(":")) {
      errs.push(
        invalid(child(p, "ip"), a.ip ?? "", "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
      );
    }
    (a.hostnames ?? []).forEach((h, j) => {
      errs.push(...invalidIf(index(child(p, "hostnames"), j), h, isDNS1123Subdomain(h)));
    });
  });
  errs.push(...validateResourceList(spec.overhead, child(path, "overhead"), false));
  if (spec.os) errs.push(...oneOfIfSet(child(path, "os", "name"), spec.os.name, ["linux", "windows"]));
  return errs;
}

/** A host port (with protocol and host IP) may be claimed by one container port only. */
function validateHostPorts(spec: PodSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const field of ["initContainers", "containers"] as const) {
    (spec[field] ?? []).forEach((c, i) => {
      (c.ports ?? []).forEach((port, j) => {
        if (!port.hostPort) return;
        const id = `${port.hostPort}/${port.protocol ?? "TCP"}`;
        const keyWithIP = `${port.hostIP ?? ""}:${id}`;
        if (seen.has(keyWithIP))
          errs.push(duplicate(child(index(child(index(child(path, field), i), "ports"), j), "hostPort"), id));
        seen.add(keyWithIP);
      });
    });
  }
  return errs;
}
