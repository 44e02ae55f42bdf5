// `k8ts rollout status|history|undo|restart|pause|resume` for Deployments.

import type { Deployment, ResourceType } from "../../api/index.js";
import { DescribeWriter, ownedReplicaSets, revisionOf, writePodTemplate } from "../describe/index.js";
import type { Kube } from "../kube.js";
import { formatColumns } from "../printers/columns.js";
import { objectLabel } from "../resources.js";
import { rolloutStatus } from "../rollout/status.js";
import { planUndo } from "../rollout/undo.js";
import { progressLine } from "../style.js";
import { type DryRun, dryRunSuffix } from "../verb-flags.js";
import { watchUntil } from "../watch-until.js";

const FIELD_MANAGER = "kubectl-rollout";

export interface RolloutTarget {
  resource: ResourceType;
  name: string;
}

const getDeployment = (kube: Kube, t: RolloutTarget) =>
  kube.client.get<Deployment>(t.resource, t.name, { namespace: kube.namespace });

/** Follows the Deployment until its rollout is done, printing each new state as kubectl does. */
export async function status(
  kube: Kube,
  t: RolloutTarget,
  opts: { watch: boolean; timeoutMs: number },
): Promise<number> {
  if (!opts.watch) {
    const s = rolloutStatus(await getDeployment(kube, t));
    if ("error" in s) throw new Error(s.error);
    process.stdout.write(`${s.message}\n`);
    return 0;
  }
  await getDeployment(kube, t); // NotFound before any waiting
  let last = "";
  let failure: string | undefined;
  const progress = progressLine();
  const started = Date.now();
  const tick = setInterval(
    () =>
      progress.update(`waiting for deployment "${t.name}" (${Math.round((Date.now() - started) / 1000)}s)`),
    1000,
  );
  try {
    await watchUntil<Deployment>(
      kube.client,
      { ...t, namespace: kube.namespace },
      (d) => {
        if (!d) {
          failure = `deployment "${t.name}" was deleted while waiting for its rollout`;
          return true;
        }
        const s = rolloutStatus(d);
        if ("error" in s) {
          failure = s.error;
          return true;
        }
        if (s.message !== last) {
          progress.done();
          process.stdout.write(`${s.message}\n`);
          last = s.message;
        }
        return s.done;
      },
      { timeoutMs: opts.timeoutMs },
    );
  } finally {
    clearInterval(tick);
    progress.done();
  }
  if (failure) throw new Error(failure);
  return 0;
}

export async function history(kube: Kube, t: RolloutTarget, revision: number): Promise<number> {
  const d = await getDeployment(kube, t);
  const owned = (await ownedReplicaSets(kube.client, d)).sort((a, b) => revisionOf(a) - revisionOf(b));
  if (revision > 0) {
    const rs = owned.find((r) => revisionOf(r) === revision);
    if (!rs) throw new Error(`unable to find the specified revision ${revision}`);
    const w = new DescribeWriter();
    writePodTemplate(w, 0, rs.spec?.template);
    process.stdout.write(`${objectLabel(t.resource, t.name)} with revision #${revision}\n${w}`);
    return 0;
  }
  const rows = owned.map((rs) => [
    String(revisionOf(rs)),
    rs.metadata.annotations?.["kubernetes.io/change-cause"] ?? "<none>",
  ]);
  process.stdout.write(
    `${objectLabel(t.resource, t.name)}\n${formatColumns([["REVISION", "CHANGE-CAUSE"], ...rows])}\n`,
  );
  return 0;
}

export async function undo(
  kube: Kube,
  t: RolloutTarget,
  toRevision: number,
  dryRun: DryRun,
): Promise<number> {
  const d = await getDeployment(kube, t);
  const plan = planUndo(d, await ownedReplicaSets(kube.client, d), toRevision);
  if ("error" in plan) throw new Error(plan.error);
  const label = objectLabel(t.resource, t.name);
  if (plan.action === "skip") {
    process.stdout.write(
      `${label} skipped rollback (current template already matches revision ${plan.revision})\n`,
    );
    return 0;
  }
  if (dryRun !== "client") {
    await kube.client.patch(t.resource, t.name, "json", plan.patch, {
      namespace: kube.namespace,
      fieldManager: FIELD_MANAGER,
      dryRun: dryRun === "server",
    });
  }
  process.stdout.write(`${label} rolled back${dryRunSuffix(dryRun)}\n`);
  return 0;
}

/** restart, pause, resume: one strategic merge patch each. */
export async function patchDeployment(
  kube: Kube,
  t: RolloutTarget,
  verb: "restart" | "pause" | "resume",
): Promise<number> {
  const d = await getDeployment(kube, t);
  const label = objectLabel(t.resource, t.name);
  if (verb === "pause" && d.spec?.paused) throw new Error(`${label} is already paused`);
  if (verb === "resume" && !d.spec?.paused) throw new Error(`${label} is not paused`);
  const patch =
    verb === "restart"
      ? {
          spec: {
            template: {
              metadata: {
                annotations: {
                  "kubectl.kubernetes.io/restartedAt": new Date().toISOString().replace(/\.\d+Z$/, "Z"),
                },
              },
            },
          },
        }
      : { spec: { paused: verb === "pause" ? true : null } };
  await kube.client.patch(t.resource, t.name, "strategic", patch, {
    namespace: kube.namespace,
    fieldManager: FIELD_MANAGER,
  });
  process.stdout.write(
    `${label} ${verb === "restart" ? "restarted" : verb === "pause" ? "paused" : "resumed"}\n`,
  );
  return 0;
}
