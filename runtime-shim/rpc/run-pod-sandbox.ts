// RunPodSandbox: records the pod and asks the backend for its shared namespaces; on any failure the
// undo steps take back what was made, so a retry starts clean.

import { mkdirSync } from "node:fs";
import {
  NamespaceMode,
  type RunPodSandboxRequest,
  type RunPodSandboxResponse,
} from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { alreadyExists, invalidArgument } from "../errors.js";
import { newId, sandboxName } from "../ids.js";
import type { SandboxRecord } from "../store.js";
import { Undo } from "../undo.js";

export async function runPodSandbox(
  ctx: ShimContext,
  req: RunPodSandboxRequest,
): Promise<RunPodSandboxResponse> {
  const config = req.config;
  const m = config?.metadata;
  if (!config || !m?.name || !m.namespace || !m.uid)
    throw invalidArgument("pod sandbox config needs metadata with name, namespace and uid");
  if (req.runtimeHandler) throw invalidArgument(`runtime handler "${req.runtimeHandler}" is not configured`);
  const name = sandboxName(m);
  for (const s of ctx.store.sandboxes.values())
    if (sandboxName(s.config.metadata!) === name)
      throw alreadyExists(`pod sandbox ${name} already exists as ${s.id}`);

  const sandbox: SandboxRecord = {
    id: newId(),
    config,
    runtimeHandler: "",
    state: "ready",
    createdAt: ctx.now(),
    hostNetwork: config.linux?.securityContext?.namespaceOptions?.network === NamespaceMode.NODE,
    ip: "",
  };
  return new Undo().run(async (undo) => {
    if (config.logDirectory) mkdirSync(config.logDirectory, { recursive: true });
    undo.add(() => ctx.store.deleteSandbox(sandbox.id));
    ctx.store.saveSandbox(sandbox);
    undo.add(() => ctx.backend.stopSandbox(sandbox));
    sandbox.ip = (await ctx.backend.runSandbox(sandbox)).ip;
    ctx.store.saveSandbox(sandbox);
    return { podSandboxId: sandbox.id };
  });
}
