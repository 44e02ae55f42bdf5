// Which pod and container logs and exec talk to: `POD`, `pod/POD`, or a workload (`deploy/web`,
// `rs/x`) whose selector picks a pod (running ones first); the container from -c, else the pod's
// kubectl.kubernetes.io/default-container annotation, else the first — said on stderr when the pod
// has several (init and ephemeral ones included), as kubectl says it.

import {
  formatLabelSelector,
  type KubeObject,
  type LabelSelector,
  type Pod,
  RESOURCES,
} from "../../api/index.js";
import { UsageError } from "../command.js";
import type { Kube } from "../kube.js";
import { resolveResource } from "../resources.js";

const PODS = RESOURCES.find((r) => r.kind === "Pod" && r.group === "")!;
const DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

export interface PodTarget {
  pod: Pod;
  container: string;
}

export async function findPod(kube: Kube, arg: string): Promise<Pod> {
  const slash = arg.indexOf("/");
  const resource = slash < 0 ? PODS : resolveResource(arg.slice(0, slash));
  const name = slash < 0 ? arg : arg.slice(slash + 1);
  if (resource === PODS) return kube.client.get<Pod>(PODS, name, { namespace: kube.namespace });
  const owner = await kube.client.get<KubeObject & { spec?: { selector?: LabelSelector } }>(resource, name, {
    namespace: kube.namespace,
  });
  const selector = owner.spec?.selector;
  if (!selector) throw new UsageError(`${arg} has no pod selector: name a pod instead`);
  const pods = (
    await kube.client.listAll<Pod>(PODS, {
      namespace: kube.namespace,
      labelSelector: formatLabelSelector(selector),
    })
  ).items;
  const rank = (p: Pod) => (p.status?.phase === "Running" ? 0 : p.status?.phase === "Pending" ? 1 : 2);
  const pod = pods.sort((a, b) => rank(a) - rank(b))[0];
  if (!pod) throw new UsageError(`no pods found for ${arg} (selector ${formatLabelSelector(selector)})`);
  return pod;
}

/** Every container of a pod in kubectl's order: init containers, containers, ephemeral containers. */
export function allContainers(pod: Pod): string[] {
  const spec = pod.spec;
  return [
    ...(spec?.initContainers ?? []).map((c) => c.name),
    ...(spec?.containers ?? []).map((c) => c.name),
    ...(spec?.ephemeralContainers ?? []).map((c) => c.name),
  ];
}

/** -c, else the default-container annotation, else the first; said on stderr when there was a choice. */
export function chooseContainer(pod: Pod, container: string | undefined): string {
  if (container) return container;
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const preferred = pod.metadata.annotations?.[DEFAULT_CONTAINER];
  const chosen = preferred && names.includes(preferred) ? preferred : names[0];
  if (!chosen) throw new UsageError(`pod ${pod.metadata.name} has no containers`);
  const others = [
    ...names,
    ...(pod.spec?.initContainers ?? []).map((c) => `${c.name} (init)`),
    ...(pod.spec?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`),
  ];
  if (others.length > 1 && !preferred) {
    process.stderr.write(`Defaulted container "${chosen}" out of: ${others.join(", ")}\n`);
  }
  return chosen;
}

export async function podTarget(kube: Kube, arg: string, container: string | undefined): Promise<PodTarget> {
  const pod = await findPod(kube, arg);
  return { pod, container: chooseContainer(pod, container) };
}

export { PODS };
