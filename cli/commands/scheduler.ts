// `k8ts scheduler`: the scheduler component. Learns the cluster through the API server, binds
// pending pods to nodes, optionally only while it holds the kube-scheduler Lease.

import { readFileSync } from "node:fs";
import { type ClientConfig, clientConfigFrom, RestClient } from "../../client/index.js";
import {
  ConfigError,
  DEFAULT_MAX_BINDS_IN_FLIGHT,
  defaultSchedulerConfig,
  parseSchedulerConfig,
  Scheduler,
  startSchedulerServer,
} from "../../scheduler/index.js";
import { type Command, UsageError } from "../command.js";
import { aborted, runAlone, type StartComponent, untilStopped } from "../component.js";
import {
  hostPortFlag,
  leaderElectionFlags,
  leaderElectionUsage,
  leaderElectorFromFlags,
  runUntilStopped,
} from "../component-flags.js";
import { intFlag, parseFlags } from "../flags.js";

const flags = {
  kubeconfig: { type: "string" },
  master: { type: "string" },
  config: { type: "string" },
  "metrics-bind-address": { type: "string", default: "127.0.0.1:10259" },
  "max-binds-in-flight": { type: "string", default: String(DEFAULT_MAX_BINDS_IN_FLIGHT) },
  ...leaderElectionFlags("kube-scheduler"),
} as const;

export const command: Command = {
  summary: "run the scheduler (filter, score and bind pending pods)",
  usage: `Flags:
  --kubeconfig FILE          kubeconfig of the API server (default: KUBECONFIG, k8ts up's, ~/.kube/config)
  --master URL               API server URL; overrides the kubeconfig's server
  --config FILE              KubeSchedulerConfiguration YAML (profiles, plugins, weights, scoring strategy)
  --metrics-bind-address A   host:port for /metrics, /healthz, /readyz, /debug/decisions (default 127.0.0.1:10259; port 0 picks one)
  --max-binds-in-flight N    binds outstanding at once; decisions wait beyond this (default ${DEFAULT_MAX_BINDS_IN_FLIGHT})
${leaderElectionUsage("kube-scheduler", "schedule")}`,
  run: (argv) => runAlone("scheduler", start, argv),
};

export const start: StartComponent = async (argv, { log, say }) => {
  const { values } = parseFlags(argv, flags);
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
    // Binds and Scheduled events come in bursts (a decision takes a fraction of a millisecond):
    // one write per burst instead of one per request. A failed bind is retried, an Event dropped.
    pipelinePosts: true,
  });
  const [host, port] = hostPortFlag("metrics-bind-address", values["metrics-bind-address"]);
  const scheduler = new Scheduler({
    client,
    config,
    log,
    maxBindsInFlight: Math.max(
      1,
      intFlag("max-binds-in-flight", values["max-binds-in-flight"], DEFAULT_MAX_BINDS_IN_FLIGHT),
    ),
  });

  const { elector } = leaderElectorFromFlags(values, client, log, (signal) => scheduler.run(signal));

  const server = await startSchedulerServer({
    host,
    port,
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
  say(`scheduler serving /metrics on ${host}:${server.port}`);

  return untilStopped(async (stop) => {
    try {
      // Stopped before the informers synced (the API server never answered): nothing to run.
      if (!(await Promise.race([scheduler.start(), aborted(stop).then(() => false)]))) return 0;
      log({ level: "info", msg: "informers synced" });
      return await runUntilStopped(elector, (signal) => scheduler.run(signal), stop, log);
    } finally {
      log({ level: "info", msg: "shutting down" });
      await scheduler.stop();
      await server.close();
    }
  });
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
