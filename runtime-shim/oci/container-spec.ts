// The OCI spec for one container of a pod, from its CRI request: the process, the user, the pod's
// hostname and network namespace, volumes, and the security context (capabilities, privileged,
// read-only root, no-new-privileges), and memory/cpu limits for the container's cgroup.

import type { ContainerRecord, SandboxRecord } from "../store.js";
import { generateSpec, type OciSpec, type SpecOpt } from "./spec.js";
import {
  withAnnotations,
  withBindMounts,
  withCapabilities,
  withCgroupsPath,
  withHostname,
  withNetworkNamespace,
  withNoNewPrivileges,
  withOomScoreAdj,
  withPrivileged,
  withProcessArgs,
  withReadonlyRootfs,
  withResources,
  withUser,
} from "./spec-opts.js";

export interface PlacementOptions {
  /** The pod's network namespace, or "" to use the host's (hostNetwork). */
  netnsPath: string;
  cgroupsPath: string;
}

export function containerSpec(
  ctr: ContainerRecord,
  sandbox: SandboxRecord,
  place: PlacementOptions,
): OciSpec {
  const sec = ctr.spec.security;
  const opts: SpecOpt[] = [
    withProcessArgs(ctr.argv, ctr.env, ctr.cwd),
    withHostname(sandbox.config.hostname || sandbox.config.metadata?.name || ""),
    withUser(sec.runAsUser?.value ?? 0, sec.runAsGroup?.value ?? 0, sec.supplementalGroups ?? []),
    withCapabilities(sec.capabilities?.addCapabilities ?? [], sec.capabilities?.dropCapabilities ?? []),
    withReadonlyRootfs(!!sec.readonlyRootfs),
    withNoNewPrivileges(!!sec.noNewPrivs),
    withNetworkNamespace(place.netnsPath),
    withCgroupsPath(place.cgroupsPath),
    withResources(ctr.spec.resources),
    withOomScoreAdj(ctr.spec.resources.oomScoreAdj ?? 0),
    withBindMounts(ctr.spec.mounts),
    withAnnotations(ctr.spec.annotations),
  ];
  if (sec.privileged) opts.push(withPrivileged);
  return generateSpec(...opts);
}
