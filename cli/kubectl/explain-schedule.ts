// `k8ts explain-schedule POD`: why the pod is where it is, from the scheduler's own record of its
// last attempt (GET /debug/decisions/<namespace>/<pod> on the scheduler). The scheduler is found
// by --scheduler, else the local cluster's record (<data-dir>/cluster.json, written by `k8ts up`),
// else its default address.

import type { Pod } from "../../api/index.js";
import type { Decision } from "../../scheduler/index.js";
import { readState, resolveDataDir } from "../cluster/index.js";
import { formatDecision } from "../explain/format-decision.js";
import type { Kube } from "../kube.js";
import { findResource } from "../resources.js";
import { styleFor } from "../style.js";

const DEFAULT_SCHEDULER = "127.0.0.1:10259";

export function schedulerAddress(flag: string | undefined, dataDir: string | undefined): string {
  if (flag) return flag;
  return readState(resolveDataDir(dataDir))?.schedulerAddress ?? DEFAULT_SCHEDULER;
}

export async function explainSchedule(kube: Kube, name: string, address: string): Promise<number> {
  const pod = await kube.client.get<Pod>(findResource("pods")!, name, { namespace: kube.namespace });
  const key = `${encodeURIComponent(kube.namespace)}/${encodeURIComponent(name)}`;
  let res: Response;
  try {
    res = await fetch(`http://${address}/debug/decisions/${key}`, { signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new Error(
      `the scheduler at ${address} did not answer. Is the cluster running (\`k8ts status\`)? Pass --scheduler HOST:PORT (its --metrics-bind-address) if it listens elsewhere.`,
    );
  }
  if (res.status === 404) {
    const where = pod.spec?.nodeName ? ` (it is on ${pod.spec.nodeName})` : "";
    throw new Error(
      `the scheduler at ${address} has no decision for pod ${kube.namespace}/${name}${where}: it keeps the newest pods only, forgets them when it restarts, and never sees pods created with spec.nodeName or another spec.schedulerName`,
    );
  }
  if (!res.ok)
    throw new Error(`the scheduler at ${address} answered ${res.status}: ${(await res.text()).trim()}`);
  const decision = (await res.json()) as Decision;
  process.stdout.write(formatDecision(decision, styleFor(process.stdout)));
  if (decision.result === "Scheduled" && pod.spec?.nodeName && pod.spec.nodeName !== decision.node) {
    process.stdout.write(
      `\nNote: the pod is now on ${pod.spec.nodeName}: it was bound after a later attempt or by someone else.\n`,
    );
  }
  return 0;
}
