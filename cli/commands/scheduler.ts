// `k8ts scheduler`: the scheduler component. Learns the cluster through the API server, binds
// pending pods to nodes, optionally only while it holds the kube-scheduler Lease.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import {
  type ClientConfig,
  clientConfigFrom,
  LeaderElector,
  leaseApiFor,
  RestClient,
} from "../../client/index.js";
import {
  ConfigError,
  defaultSchedulerConfig,
  parseSchedulerConfig,
  Scheduler,
  startSchedulerServer,
} from "../../scheduler/index.js";
import { type Command, UsageError } from "../command.js";
import { intFlag, jsonLogger, parseFlags } from "../flags.js";

const flags = {
  kubeconfig: { type: "string" },
  master: { type: "string" },
  config: { type: "string" },
  "metrics-bind-address": { type: "string", default: "127.0.0.1:10259" },
  "max-binds-in-flight": { type: "string", default: "64" },
  "leader-elect": { type: "boolean", default: false },
  "leader-elect-lease-duration": { type: "string", default: "15s" },
  "leader-elect-renew-deadline": { type: "string", default: "10s" },
  "leader-elect-retry-period": { type: "string", default: "2s" },
  "leader-elect-resource-name": { type: "string", default: "kube-scheduler" },
  "leader-elect-resource-namespace": { type: "string", default: "kube-system" },
} as const;

export const command: Command = {
  summary: "run the scheduler (filter, score and bind pending pods)",
  usage: `Flags:
  --kubeconfig FILE          kubeconfig of the API server (default: KUBECONFIG, k8ts up's, ~/.kube/config)
  --master URL               API server URL; overrides the kubeconfig's server
  --config FILE              KubeSchedulerConfiguration YAML (profiles, plugins, weights, scoring strategy)
  --metrics-bind-address A   host:port for /metrics, /healthz, /readyz, /debug/decisions (default 127.0.0.1:10259; port 0 picks one)
  --max-binds-in-flight N    binds outstanding at once; decisions wait beyond this (default 64)
  --leader-elect             schedule only while holding the Lease (run several for failover)
  --leader-elect-lease-duration D    (default 15s)
  --leader-elect-renew-deadline D    (default 10s)
  --leader-elect-retry-period D      (default 2s)
  --leader-elect-resource-name N     (default kube-scheduler)
  --leader-elect-resource-namespace N (default kube-system)`,
  async run(argv) {
    const { values } = parseFlags(argv, flags);
    const log = jsonLogger("scheduler");
    let config = defaultSchedulerConfig();
    if (values.config) {
      let text: string;
      try {
        text = readFileSync(values.config, "utf8");
      } catch (err) {
        throw new UsageError(`--config: cannot read ${values.config}: ${(err as Error).message}`);
      }
      try {
        config = parseSchedulerConfig(text, values.config);
      } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(`invalid scheduler config: ${err.message}`);
        throw err;
      }
    }
    const client = RestClient.fromConfig(clientConfig(values.kubeconfig, values.master), {
      userAgent: "k8ts-scheduler",
    });
    const [host, portText] = splitHostPort(values["metrics-bind-address"]);
    const scheduler = new Scheduler({
      client,
      config,
      log,
      maxBindsInFlight: Math.max(1, intFlag("max-binds-in-flight", values["max-binds-in-flight"], 64)),
    });

    // Checked even without --leader-elect: a typo should not wait for the day it matters.
    const leaseDurationMs = duration("leader-elect-lease-duration", values["leader-elect-lease-duration"]);
    const renewDeadlineMs = duration("leader-elect-renew-deadline", values["leader-elect-renew-deadline"]);
    const retryPeriodMs = duration("leader-elect-retry-period", values["leader-elect-retry-period"]);
    const identity = `${hostname()}_${randomUUID()}`;
    const elector = values["leader-elect"]
      ? new LeaderElector({
          api: leaseApiFor(client),
          lease: {
            name: values["leader-elect-resource-name"],
            namespace: values["leader-elect-resource-namespace"],
          },
          identity,
          leaseDurationMs,
          renewDeadlineMs,
          retryPeriodMs,
          callbacks: {
            onStartedLeading: (signal) => {
              log({ level: "info", msg: "became leader; scheduling", identity });
              return scheduler.run(signal);
            },
            onStoppedLeading: () => log({ level: "info", msg: "stopped leading", identity }),
            onNewLeader: (leader) => log({ level: "info", msg: "leader is", leader }),
          },
          onError: (err) => log({ level: "warn", msg: "leader election", err: String(err) }),
        })
      : undefined;

    const server = await startSchedulerServer({
      host,
      port: Number(portText),
      metrics: scheduler.metrics,
      decisions: scheduler.decisions,
      ready: () => scheduler.hasSynced(),
      unhealthy: () => (elector && !elector.healthy() ? "leader lease renewals stalled" : undefined),
    });
    log({
      level: "info",
      msg: "scheduler serving",
      metricsPort: server.port,
      profiles: [...scheduler.profiles.keys()],
    });
    process.stdout.write(`scheduler serving /metrics on ${host}:${server.port}\n`);

    const stop = new AbortController();
    process.once("SIGTERM", () => stop.abort());
    process.once("SIGINT", () => stop.abort());
    let code = 0;
    try {
      if (!(await scheduler.start())) return 0;
      log({ level: "info", msg: "informers synced" });
      if (elector) {
        await elector.run(stop.signal);
        // Kubernetes' scheduler exits when it loses the lease rather than risk scheduling on stale
        // state; a supervisor (k8ts up, systemd) restarts it as a fresh candidate.
        if (!stop.signal.aborted) {
          log({ level: "error", msg: "leader election lost; exiting" });
          code = 1;
        }
      } else {
        await scheduler.run(stop.signal);
      }
    } finally {
      log({ level: "info", msg: "shutting down" });
      await scheduler.stop();
      await server.close();
    }
    return code;
  },
};

function clientConfig(kubeconfig: string | undefined, master: string | undefined): ClientConfig {
  if (master && !kubeconfig) {
    return {
      server: master,
      namespace: "default",
      context: "",
      user: {},
      cluster: { server: master },
    } as ClientConfig;
  }
  const cfg = clientConfigFrom({ kubeconfig });
  return master ? { ...cfg, server: master } : cfg;
}

function splitHostPort(addr: string): [string, string] {
  const i = addr.lastIndexOf(":");
  const port = addr.slice(i + 1);
  if (i < 0 || !/^[0-9]+$/.test(port))
    throw new UsageError(`--metrics-bind-address must be host:port, got "${addr}"`);
  return [addr.slice(0, i).replace(/^\[|\]$/g, "") || "0.0.0.0", port];
}

/** "15s", "500ms", "1m" → milliseconds. */
function duration(flag: string, v: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)$/.exec(v);
  if (!m) throw new UsageError(`--${flag} must be a duration like 15s, 500ms or 1m, got "${v}"`);
  const n = Number(m[1]);
  return Math.round(m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000);
}
