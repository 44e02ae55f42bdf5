// A pod's network namespace: a named namespace (as `ip netns` makes them, bind-mounted under
// /run/netns) that every container of the pod joins; CNI (cni.ts) then gives it lo and eth0.
// `ip` runs asynchronously, so other pods' calls go on while it works.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);

export const netnsName = (sandboxId: string): string => `k8ts-${sandboxId.slice(0, 16)}`;
export const netnsPath = (sandboxId: string): string => `/run/netns/${netnsName(sandboxId)}`;

export async function createNetns(sandboxId: string): Promise<string> {
  const name = netnsName(sandboxId);
  if (!existsSync(netnsPath(sandboxId))) await run("ip", ["netns", "add", name]);
  return netnsPath(sandboxId);
}

export async function deleteNetns(sandboxId: string): Promise<void> {
  if (existsSync(netnsPath(sandboxId))) await run("ip", ["netns", "delete", netnsName(sandboxId)]);
}
