// `k8ts controllers`: the controller manager. Runs the Deployment, ReplicaSet, garbage collector and
// node lifecycle reconcilers against the API server; with --leader-elect only while it holds the
// kube-controller-manager Lease, so several can run and one takes over within the lease duration.

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { clientConfigFrom, EventRecorder, RestClient } from "../../client/index.js";
import {
  CONTROLLER_NAMES,
  ControllerMetrics,
  type ControllerName,
  NODE_LIFECYCLE_DEFAULTS,
  type RunningControllers,
  serveManagerEndpoints,
  startControllers,
} from "../../controllers/index.js";
import { type Command, UsageError } from "../command.js";
import { aborted, runAlone, type StartComponent, untilStopped } from "../component.js";
import {
  durationFlag,
  hostPortFlag,
  leaderElectionFlags,
  leaderElectionUsage,
  leaderElectorFromFlags,
  runUntilStopped,
} from "../component-flags.js";
import { parseFlags } from "../flags.js";

const D = NODE_LIFECYCLE_DEFAULTS;
const flags = {
  kubeconfig: { type: "string" },
  master: { type: "string" },
  controllers: { type: "string", default: "*" },
  "metrics-bind-address": { type: "string", default: "127.0.0.1:10257" },
  ...leaderElectionFlags("kube-controller-manager"),
  "node-monitor-grace-period": { type: "string", default: `${D.gracePeriodMs / 1000}s` },
  "node-monitor-period": { type: "string", default: `${D.monitorPeriodMs / 1000}s` },
  "default-not-ready-toleration-seconds": {
    type: "string",
    default: String(D.defaultTolerations.notReadySeconds),
  },
  "default-unreachable-toleration-seconds": {
    type: "string",
    default: String(D.defaultTolerations.unreachableSeconds),
  },
  "node-eviction-rate": { type: "string", default: String(D.rates.rate) },
  "secondary-node-eviction-rate": { type: "string", default: String(D.rates.secondaryRate) },
  "unhealthy-zone-threshold": { type: "string", default: String(D.rates.unhealthyThreshold) },
  "large-cluster-size-threshold": { type: "string", default: String(D.rates.largeClusterThreshold) },
} as const;

export const command: Command = {
  summary: "run the controller manager (deployment, replicaset, garbage collector, node lifecycle)",
  usage: `Flags:
  --kubeconfig FILE          kubeconfig of the API server (default: KUBECONFIG, k8ts up's, ~/.kube/config)
  --master URL               API server URL; overrides the kubeconfig's server
  --controllers LIST         comma-separated: ${CONTROLLER_NAMES.join(", ")}; "*" for all (default *)
  --metrics-bind-address A   host:port for /metrics and /healthz (default 127.0.0.1:10257; port 0 picks one)
${leaderElectionUsage("kube-controller-manager", "run the controllers")}
  --node-monitor-grace-period D       heartbeat silence before a node is Unknown (default 40s)
  --node-monitor-period D             how often every node is checked (default 5s)
  --default-not-ready-toleration-seconds N    eviction delay for pods without their own toleration (default 300)
  --default-unreachable-toleration-seconds N  (default 300)
  --node-eviction-rate R              nodes tainted NoExecute per second, healthy cluster (default 0.1)
  --secondary-node-eviction-rate R    the same in a partial disruption of a large cluster (default 0.01)
  --unhealthy-zone-threshold F        not-ready fraction that makes a partial disruption (default 0.55)
  --large-cluster-size-threshold N    smaller clusters stop tainting in a partial disruption (default 50)
Durations: 500ms, 15s, 2m, 1m30s.`,
  run: (argv) => runAlone("controllers", start, argv),
};

export const start: StartComponent = async (argv, { log, say }) => {
  const { values } = parseFlags(argv, flags);
  const controllers = controllerList(values.controllers);
  const nodeLifecycle = {
    gracePeriodMs: durationFlag("node-monitor-grace-period", values["node-monitor-grace-period"]),
    monitorPeriodMs: durationFlag("node-monitor-period", values["node-monitor-period"]),
    defaultTolerations: {
      notReadySeconds: number(
        "default-not-ready-toleration-seconds",
        values["default-not-ready-toleration-seconds"],
      ),
      unreachableSeconds: number(
        "default-unreachable-toleration-seconds",
        values["default-unreachable-toleration-seconds"],
      ),
    },
    rates: {
      rate: number("node-eviction-rate", values["node-eviction-rate"]),
      secondaryRate: number("secondary-node-eviction-rate", values["secondary-node-eviction-rate"]),
      unhealthyThreshold: number("unhealthy-zone-threshold", values["unhealthy-zone-threshold"]),
      largeClusterThreshold: number("large-cluster-size-threshold", values["large-cluster-size-threshold"]),
    },
  };
  // --master alone needs no kubeconfig; with one, it overrides the server and keeps the credentials.
  const cfg =
    values.master && !values.kubeconfig ? undefined : clientConfigFrom({ kubeconfig: values.kubeconfig });
  const server = values.master ?? cfg?.server ?? "";
  const client = new RestClient({ server, token: cfg?.token, userAgent: "k8ts-controllers" });
  const identity = `${hostname()}_${randomUUID()}`;
  const recorder = new EventRecorder(
    client,
    { component: "k8ts-controllers", host: hostname() },
    { onError: (err) => log({ level: "warn", msg: "event not recorded", error: String(err) }) },
  );
  const metrics = new ControllerMetrics();
  const observer = {
    reconciled: (e: Parameters<ControllerMetrics["reconciled"]>[0]) => metrics.reconciled(e),
    // Conflicts with a lagging cache are routine (retried with backoff); repeated failures are worth a look.
    reconcileError: (e: { controller: string; key: string; error: unknown; retries: number }) =>
      log({
        level: e.retries >= 3 ? "warn" : "debug",
        msg: "reconcile failed",
        ...e,
        error: String(e.error),
      }),
  };

  /** Runs the controllers until `signal` aborts. */
  const runControllers = async (signal: AbortSignal) => {
    let running: RunningControllers | undefined;
    try {
      running = await startControllers({
        client,
        controllers,
        recorder,
        log,
        observer,
        nodeLifecycle,
      });
      metrics.track(running.controllers);
      metrics.leader.set(1);
      await aborted(signal);
    } finally {
      metrics.leader.set(0);
      metrics.untrack();
      await running?.stop();
      await recorder.flush();
    }
  };

  const { elector } = leaderElectorFromFlags(values, client, log, runControllers, identity);

  const [host, port] = hostPortFlag("metrics-bind-address", values["metrics-bind-address"]);
  const endpoints = await serveManagerEndpoints({
    host,
    port,
    metrics,
    unhealthy: () => (elector && !elector.healthy() ? "leader lease renewals stalled" : undefined),
  });
  say(`controllers serving /metrics on ${host}:${endpoints.port}`);
  log({
    level: "info",
    msg: "controller manager serving",
    metricsPort: endpoints.port,
    controllers,
    identity,
  });

  return untilStopped(async (stop) => {
    try {
      return await runUntilStopped(elector, runControllers, stop, log);
    } finally {
      log({ level: "info", msg: "shutting down" });
      await endpoints.close();
    }
  });
};

function controllerList(v: string): ControllerName[] {
  if (v.trim() === "*") return [...CONTROLLER_NAMES];
  const names = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(CONTROLLER_NAMES as readonly string[]).includes(n)) {
      throw new UsageError(
        `--controllers: unknown controller "${n}" (known: ${CONTROLLER_NAMES.join(", ")})`,
      );
    }
  }
  return names as ControllerName[];
}

function number(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--${flag} must be a number ≥ 0, got "${v}"`);
  return n;
}
