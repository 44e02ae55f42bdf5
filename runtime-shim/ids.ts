// Ids and unique names. Ids are 64 hex characters as in containerd; names are how CRI callers detect
// a duplicate create (the kubelet retries with the same metadata after a timeout).

import { randomBytes } from "node:crypto";
import type { ContainerMetadata, PodSandboxMetadata } from "../proto/runtime/v1/index.js";

export const newId = (): string => randomBytes(32).toString("hex");

export function sandboxName(m: PodSandboxMetadata): string {
  return [m.name, m.namespace, m.uid, m.attempt ?? 0].join("_");
}

export function containerName(m: ContainerMetadata, sandbox: PodSandboxMetadata): string {
  return [m.name, sandboxName(sandbox), m.attempt ?? 0].join("_");
}
