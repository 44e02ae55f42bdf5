// Shared by this folder's tests only: a real API server with the controllers running on it, and the
// node agent's part played by hand (pods marked Running/Ready through the status subresource).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeObject, Pod, ReplicaSet, ResourceType } from "../api/index.js";
import { ApiError, EventRecorder, Informer, listerWatcherFor, RestClient } from "../client/index.js";
import { startTestApiServer, type TestCluster } from "../testing/apiserver.js";
import { type RunResult, run, waitFor } from "../testing/index.js";
import { PODS } from "./context.js";
import {
  type ControllerName,
  type ManagerOptions,
  type RunningControllers,
  startControllers,
} from "./manager.js";

export interface Stack {
  cluster: TestCluster;
  client: RestClient;
  readonly controllers: RunningControllers;
  /** Stops the controllers and starts fresh ones (new caches, queues, expectations): a process restart. */
  restartControllers(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(
  controllers: readonly ControllerName[],
  extra: Pick<ManagerOptions, "clock" | "nodeLifecycle" | "observer"> = {},
): Promise<Stack> {
  const { clock } = extra;
  const cluster = await startTestApiServer();
  const client = new RestClient({ server: cluster.url });
  const start = () => {
    const recorder = new EventRecorder(client, { component: "k8ts-controllers" }, { clock });
    return startControllers({ ...extra, client, controllers, recorder, resyncPeriodMs: 0 });
  };
  let running: RunningControllers;
  try {
    running = await start();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return {
    cluster,
    client,
    get controllers() {
      return running;
    },
    async restartControllers() {
      await running.stop();
      running = await start();
    },
    async stop() {
      await running.stop();
      await cluster.stop();
    },
  };
}

export function container(image = "busybox") {
  return { name: "c", image, command: ["sleep", "3600"] };
}

/** What a node agent would write: Running, and Ready since `at`. */
export async function markReady(client: RestClient, pod: Pod, at = new Date()): Promise<Pod> {
  // A controller may write the pod (adopt it, say) between our read and our write: read again and
  // retry on 409 Conflict, as the node agent's status writer does.
  for (let attempt = 0; ; attempt++) {
    const fresh = await client.get<Pod>(PODS, pod.metadata.name ?? "", { namespace: pod.metadata.namespace });
    const ts = `${at.toISOString().slice(0, 19)}Z`;
    fresh.status = {
      ...fresh.status,
      phase: "Running",
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: ts }],
    };
    try {
      return await client.updateStatus(PODS, fresh);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409) || attempt >= 5) throw err;
    }
  }
}

export async function podsOf(client: RestClient, namespace: string, selector: string): Promise<Pod[]> {
  const list = await client.list<Pod>(PODS, { namespace, labelSelector: selector });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

export function ownedBy(obj: KubeObject, owner: KubeObject): boolean {
  return Boolean(obj.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid && r.controller));
}

/** A ReplicaSet selecting and labelling its pods app=<name>. */
export function replicaSet(name: string, replicas: number): ReplicaSet {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container()] } },
    },
  };
}

/** What `kubectl scale` sends: a merge patch on the scale subresource. */
export async function scaleTo(
  client: RestClient,
  r: ResourceType,
  name: string,
  replicas: number,
): Promise<void> {
  await client.patch(
    r,
    name,
    "merge",
    { spec: { replicas } },
    { namespace: "default", subresource: "scale" },
  );
}

/**
 * Plays the node agents' part for pods the test cannot run: every pod that `shouldBeReady` accepts is
 * marked Running/Ready once seen. `onChange` sees the pod cache after every event (for invariants
 * asserted at every observed moment, not just at the end).
 */
export function startPodAgent(
  client: RestClient,
  opts: { shouldBeReady?: (pod: Pod) => boolean; onChange?: (pods: Pod[]) => void } = {},
): { stop(): Promise<void>; pods(): Pod[] } {
  const informer = new Informer<Pod>({
    name: "test-agent",
    listerWatcher: listerWatcherFor<Pod>(client, PODS),
  });
  const marking = new Set<string>();
  const consider = (pod: Pod) => {
    opts.onChange?.(informer.store.list());
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === "Running" || marking.has(key)) return;
    if (opts.shouldBeReady && !opts.shouldBeReady(pod)) return;
    marking.add(key);
    markReady(client, pod)
      .catch(() => {})
      .finally(() => marking.delete(key));
  };
  informer.addEventHandler({
    onAdd: consider,
    onUpdate: (_, pod) => consider(pod),
    onDelete: () => opts.onChange?.(informer.store.list()),
  });
  informer.start();
  return { stop: () => informer.stop(), pods: () => informer.store.list() };
}

/**
 * The real kubectl against `server` with --server and no kubeconfig (namespace "default", no
 * credentials), its HOME and discovery cache in a temporary folder; `cleanup()` removes it.
 */
export function kubectlFor(server: string): {
  kubectl: (...args: string[]) => Promise<RunResult>;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-kubectl-"));
  return {
    kubectl: (...args) =>
      run("kubectl", ["--server", server, ...args], {
        env: { ...process.env, KUBECONFIG: join(dir, "none"), HOME: dir, KUBECACHEDIR: join(dir, "cache") },
        timeoutMs: 60_000,
      }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export { waitFor };
