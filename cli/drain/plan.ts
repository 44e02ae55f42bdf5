// Which pods a drain evicts, decided before anything is evicted, with kubectl drain's filters:
// mirror pods are skipped (the node agent owns them); DaemonSet pods would come straight back, so
// they need --ignore-daemonsets; a pod no controller will recreate is lost for good, so it needs
// --force; emptyDir data is lost with the pod, so it needs --delete-emptydir-data. Any refusal
// stops the drain before the first eviction.

import type { Pod } from "../../api/index.js";

export interface DrainFlags {
  force: boolean;
  ignoreDaemonsets: boolean;
  deleteEmptydirData: boolean;
}

export interface DrainPlan {
  evict: Pod[];
  /** Messages for pods evicted or skipped only because a flag allowed it. */
  warnings: string[];
  /** Why the drain cannot go on; empty when it can. */
  errors: string[];
}

const MIRROR = "kubernetes.io/config.mirror";

const key = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;

export function planDrain(pods: Pod[], flags: DrainFlags): DrainPlan {
  const groups = new Map<string, { warn: boolean; pods: string[] }>();
  const note = (message: string, warn: boolean, p: Pod) => {
    const g = groups.get(message) ?? { warn, pods: [] };
    g.pods.push(key(p));
    groups.set(message, g);
  };
  const evict: Pod[] = [];
  for (const p of pods) {
    if (p.metadata.annotations?.[MIRROR] !== undefined) continue;
    const finished = p.status?.phase === "Succeeded" || p.status?.phase === "Failed";
    const controller = p.metadata.ownerReferences?.find((o) => o.controller);
    if (controller?.kind === "DaemonSet" && !finished) {
      if (flags.ignoreDaemonsets) note("ignoring DaemonSet-managed Pods", true, p);
      else note("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)", false, p);
      continue;
    }
    let refused = false;
    if (!controller && !finished) {
      if (flags.force) note("deleting Pods that declare no controller", true, p);
      else {
        note("cannot delete Pods that declare no controller (use --force to override)", false, p);
        refused = true;
      }
    }
    if (!finished && (p.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined)) {
      if (flags.deleteEmptydirData) note("deleting Pods with local storage", true, p);
      else {
        note("cannot delete Pods with local storage (use --delete-emptydir-data to override)", false, p);
        refused = true;
      }
    }
    if (!refused) evict.push(p);
  }
  const warnings: string[] = [];
  const errors: string[] = [];
  for (const [message, g] of groups) (g.warn ? warnings : errors).push(`${message}: ${g.pods.join(", ")}`);
  return { evict, warnings, errors };
}
