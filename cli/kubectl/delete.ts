// `k8ts delete`: one DELETE per object (background propagation unless --cascade says otherwise,
// as kubectl sends), then — unless
// --wait=false — wait until each is really gone (graceful pod termination, finalizers), showing
// what is still pending on a terminal. A dry run never waits: --dry-run=server sends the DELETEs
// with dryRun=All, --dry-run=client sends nothing (named objects are not even looked up, as in kubectl).

import type { DeleteOptions, KubeObject, ResourceType, Status } from "../../api/index.js";
import { isNotFound } from "../../client/index.js";
import { reportError } from "../errors.js";
import type { Kube } from "../kube.js";
import { type ResourceSelection, typeLabel } from "../resources.js";
import { progressLine } from "../style.js";
import { type DryRun, dryRunSuffix } from "../verb-flags.js";
import { goneOrReplaced, watchUntil } from "../watch-until.js";

export interface DeleteTarget {
  resource: ResourceType;
  name: string;
  namespace?: string;
}

export interface DeleteFlags {
  wait: boolean;
  timeoutMs: number;
  /** undefined: the object's own grace period. */
  gracePeriodSeconds?: number;
  force: boolean;
  ignoreNotFound: boolean;
  dryRun: DryRun;
  /** --cascade: background (kubectl's default), foreground or orphan. */
  propagationPolicy: "Background" | "Foreground" | "Orphan";
}

/** Names given on the command line, or everything matching -l / --all. */
export async function targetsOf(
  kube: Kube,
  selections: ResourceSelection[],
  opts: { labelSelector?: string; all: boolean },
): Promise<DeleteTarget[]> {
  const out: DeleteTarget[] = [];
  for (const { resource, names } of selections) {
    const namespace = resource.namespaced ? kube.namespace : undefined;
    if (names.length > 0) {
      for (const name of names) out.push({ resource, name, namespace });
      continue;
    }
    const list = await kube.client.listAll(resource, { namespace, labelSelector: opts.labelSelector });
    for (const o of list.items) out.push({ resource, name: o.metadata.name ?? "", namespace });
  }
  return out;
}

function deleteOptions(flags: DeleteFlags): DeleteOptions {
  const grace = flags.force ? 0 : flags.gracePeriodSeconds;
  return {
    propagationPolicy: flags.propagationPolicy,
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
  };
}

const isStatus = (x: KubeObject | Status): x is Status => (x as Status).kind === "Status";

export async function deleteObjects(
  kube: Kube,
  targets: DeleteTarget[],
  flags: DeleteFlags,
): Promise<number> {
  let code = 0;
  if (flags.force) {
    process.stderr.write(
      "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n",
    );
  }
  const pending: { target: DeleteTarget; uid: string | undefined }[] = [];
  const done = `${flags.force ? "force deleted" : "deleted"}${dryRunSuffix(flags.dryRun)}`;
  for (const target of targets) {
    try {
      if (flags.dryRun === "client") {
        process.stdout.write(`${typeLabel(target.resource)} "${target.name}" ${done}\n`);
        continue;
      }
      const answer = await kube.client.delete(target.resource, target.name, {
        namespace: target.namespace,
        options: deleteOptions(flags),
        dryRun: flags.dryRun === "server",
      });
      process.stdout.write(`${typeLabel(target.resource)} "${target.name}" ${done}\n`);
      const uid = isStatus(answer) ? answer.details?.uid : answer.metadata.uid;
      pending.push({ target, uid });
    } catch (err) {
      if (flags.ignoreNotFound && isNotFound(err)) continue;
      code = reportError(err);
    }
  }
  if (!flags.wait || flags.dryRun !== "none" || pending.length === 0) return code;
  const progress = progressLine();
  const started = Date.now();
  const left = new Set(pending.map((p) => `${typeLabel(p.target.resource)}/${p.target.name}`));
  const tick = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    progress.update(`waiting for ${[...left].join(", ")} to be deleted (${secs}s)`);
  }, 1000);
  try {
    await Promise.all(
      pending.map(async ({ target, uid }) => {
        await watchUntil(kube.client, target, goneOrReplaced(uid), { timeoutMs: flags.timeoutMs });
        left.delete(`${typeLabel(target.resource)}/${target.name}`);
      }),
    );
  } catch (err) {
    code = reportError(err);
  } finally {
    clearInterval(tick);
    progress.done();
  }
  return code;
}
