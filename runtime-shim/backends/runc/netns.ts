// A pod's network namespace: a named namespace (as `ip netns` makes them, bind-mounted under
// /run/netns) that every container of the pod joins; CNI (cni.ts) then gives it lo and eth0.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const netnsName = (sandboxId: string): string => `k8ts-${sandboxId.slice(0, 16)}`;
export const netnsPath = (sandboxId: string): string => `/run/netns/${netnsName(sandboxId)}`;

export function createNetns(sandboxId: string): string {
  const name = netnsName(sandboxId);
  if (!existsSync(netnsPath(sandboxId))) execFileSync("ip", ["netns", "add", name], { stdio: "pipe" });
  return netnsPath(sandboxId);
}

export function deleteNetns(sandboxId: string): void {
  if (existsSync(netnsPath(sandboxId)))
    execFileSync("ip", ["netns", "delete", netnsName(sandboxId)], { stdio: "pipe" });
}
