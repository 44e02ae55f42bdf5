// Emptying a node's runtime: every pod sandbox removed through the CRI API (which stops its
// containers and releases its network), then the node's CNI bridge deleted. Containers outlive
// their node agent by design (a restarted agent adopts them), so stopping a node or the whole
// cluster must remove them explicitly, or they would run on with no one watching.

import { spawnSync } from "node:child_process";
import { connectRuntime } from "../../proto/runtime/v1/index.js";
import { spawnLogged, stopProcess } from "./spawn.js";
import { isAlive, type ProcessRecord } from "./state.js";

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms).unref(),
    ),
  ]);
}

async function removeAllSandboxes(address: string): Promise<number> {
  const clients = connectRuntime(address);
  try {
    const { items = [] } = await withDeadline(
      clients.runtime.ListPodSandbox({}),
      10_000,
      "listing pod sandboxes",
    );
    for (const s of items) {
      await withDeadline(
        clients.runtime.RemovePodSandbox({ podSandboxId: s.id }),
        30_000,
        `removing sandbox ${s.id}`,
      );
    }
    return items.length;
  } finally {
    clients.runtime.close();
    clients.image.close();
  }
}

/**
 * Removes every pod of a node's runtime-shim and stops the shim. A shim that is not running is
 * started again for the purpose (it rebuilds its state from disk), so nothing is left behind.
 * Returns the number of pod sandboxes removed.
 */
export async function emptyAndStopRuntime(rec: ProcessRecord, logsDir: string): Promise<number> {
  const address = flag(rec.args, "--listen");
  let live = rec;
  if (!isAlive(rec.pid)) {
    live = spawnLogged(rec.name, rec.args[0]!, rec.args.slice(1), logsDir);
  }
  let removed = 0;
  try {
    if (address) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          removed = await removeAllSandboxes(address);
          break;
        } catch (err) {
          if (Date.now() > deadline || !isAlive(live.pid)) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  } finally {
    await stopProcess(live);
    const bridge = flag(rec.args, "--cni-bridge");
    if (bridge) spawnSync("ip", ["link", "delete", bridge], { stdio: "ignore" });
  }
  return removed;
}
