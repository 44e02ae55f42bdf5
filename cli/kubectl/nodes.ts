// `k8ts cordon|uncordon|drain`: marking nodes unschedulable (the strategic merge patch kubectl
// sends) and emptying them through the eviction API, which honours disruption budgets: a 429 is
// retried every five seconds, as kubectl retries it, until the pods are gone or --timeout passes.

import type { Node, Pod } from "../../api/index.js";
import { ApiError, isNotFound } from "../../client/index.js";
import { type DrainFlags, planDrain } from "../drain/plan.js";
import type { Kube } from "../kube.js";
import { findResource } from "../resources.js";
import { progressLine } from "../style.js";
import { goneOrReplaced, WaitTimeoutError, watchUntil } from "../watch-until.js";

const NODES = findResource("nodes")!;
const PODS = findResource("pods")!;
const EVICTION_RETRY_MS = 5000;

/** Sets spec.unschedulable and says so ("node/n1 cordoned"); false when it already was. */
export async function setUnschedulable(kube: Kube, name: string, unschedulable: boolean): Promise<boolean> {
  const node = await kube.client.get<Node>(NODES, name);
  const verb = unschedulable ? "cordoned" : "uncordoned";
  if (Boolean(node.spec?.unschedulable) === unschedulable) {
    process.stdout.write(`node/${name} already ${verb}\n`);
    return false;
  }
  await kube.client.patch(NODES, name, "strategic", { spec: { unschedulable: unschedulable ? true : null } });
  process.stdout.write(`node/${name} ${verb}\n`);
  return true;
}

export interface DrainOptions extends DrainFlags {
  timeoutMs: number;
  gracePeriodSeconds?: number;
}

async function evict(kube: Kube, p: Pod, opts: DrainOptions, deadline: number): Promise<boolean> {
  const body = {
    apiVersion: "policy/v1",
    kind: "Eviction",
    metadata: { name: p.metadata.name, namespace: p.metadata.namespace },
    deleteOptions:
      opts.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: opts.gracePeriodSeconds },
  };
  for (;;) {
    try {
      await kube.client.create(PODS, body as never, {
        namespace: p.metadata.namespace,
        name: p.metadata.name,
        subresource: "eviction",
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      if (!(err instanceof ApiError) || err.code !== 429) throw err;
      if (opts.timeoutMs > 0 && Date.now() + EVICTION_RETRY_MS > deadline) {
        throw new WaitTimeoutError(`drain did not complete within ${opts.timeoutMs / 1000}s: ${err.message}`);
      }
      process.stderr.write(
        `error when evicting pods/"${p.metadata.name}" -n "${p.metadata.namespace}" (will retry after 5s): ${err.message}\n`,
      );
      await new Promise((r) => setTimeout(r, EVICTION_RETRY_MS));
    }
  }
}

export async function drain(kube: Kube, name: string, opts: DrainOptions): Promise<number> {
  const deadline = Date.now() + (opts.timeoutMs || Number.MAX_SAFE_INTEGER / 2);
  await setUnschedulable(kube, name, true);
  const pods = (await kube.client.listAll<Pod>(PODS, { fieldSelector: `spec.nodeName=${name}` })).items;
  const plan = planDrain(pods, opts);
  if (plan.errors.length > 0) {
    throw new Error(`unable to drain node "${name}" (it stays cordoned): ${plan.errors.join("; ")}`);
  }
  if (plan.warnings.length > 0) process.stderr.write(`Warning: ${plan.warnings.join("; ")}\n`);
  const progress = progressLine();
  const left = new Set(plan.evict.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  const tick = setInterval(
    () => progress.update(`waiting for ${left.size} pod(s) to leave node/${name}: ${[...left].join(", ")}`),
    1000,
  );
  try {
    await Promise.all(
      plan.evict.map(async (p) => {
        process.stdout.write(`evicting pod ${p.metadata.namespace}/${p.metadata.name}\n`);
        if (await evict(kube, p, opts, deadline)) {
          await watchUntil(
            kube.client,
            { resource: PODS, namespace: p.metadata.namespace, name: p.metadata.name ?? "" },
            goneOrReplaced(p.metadata.uid),
            {
              timeoutMs: Math.max(1, deadline - Date.now()),
            },
          );
        }
        left.delete(`${p.metadata.namespace}/${p.metadata.name}`);
        progress.done();
        process.stdout.write(`pod/${p.metadata.name} evicted\n`);
      }),
    );
  } finally {
    clearInterval(tick);
    progress.done();
  }
  process.stdout.write(`node/${name} drained\n`);
  return 0;
}
