// Start-up recovery: the records on disk are the truth. Half-made records (a create that died before
// writing its record) are removed, and containers that exited while the shim was down are marked
// EXITED with the exit code their monitor wrote.

import { rmSync } from "node:fs";
import type { ShimContext } from "./context.js";
import { observeExit } from "./lookup.js";

export function recover(ctx: ShimContext): { sandboxes: number; containers: number } {
  for (const dir of ctx.store.orphanDirs()) rmSync(dir, { recursive: true, force: true });
  for (const c of ctx.store.containers.values()) observeExit(ctx, c);
  return { sandboxes: ctx.store.sandboxes.size, containers: ctx.store.containers.size };
}
