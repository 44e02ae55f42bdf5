// A pod's network namespace: a named namespace (as `ip netns` makes them, bind-mounted under
// /run/netns) that every container of the pod joins, with loopback up. CNI attaches it to the node's
// network (not yet: see the report); until then pods reach each other only over loopback.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const netnsName = (sandboxId: string): string => `k8ts-${sandboxId.slice(0, 16)}`;
export const netnsPath = (sandboxId: string): string => `/run/netns/${netnsName(sandboxId)}`;

export function createNetns(sandboxId: string): string {
  const name = netnsName(sandboxId);
  if (!existsSync(netnsPath(sandboxId))) execFileSync("ip", ["netns", "add", name], { stdio: "pipe" });
  execFileSync("ip", ["-n", name, "link", "set", "lo", "up"], { stdio: "pipe" });
  return netnsPath(sandboxId);
}

export function deleteNetns(sandboxId: string): void {
  if (existsSync(netnsPath(sandboxId)))
    execFileSync("ip", ["netns", "delete", netnsName(sandboxId)], { stdio: "pipe" });
}
