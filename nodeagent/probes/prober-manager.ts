// Probes, after the kubelet's prober: one worker per (container instance, probe kind) on the
// injected clock, with Kubernetes' defaults and thresholds. Workers only publish results (and an
// Unhealthy event per failed check); the pod worker reads them — the planner kills a container whose
// liveness or startup result is failure, the status marks a container ready from readiness. A probe
// never restarts anything itself.
//
// Initial results as in Kubernetes: readiness starts as failure, liveness as success, startup has
// none until it succeeds. While a startup probe has not succeeded, liveness and readiness wait.

import type { Container, Pod, Probe } from "../../api/index.js";
import type { Clock } from "../../client/index.js";
import type { ProbeResult } from "../pod-actions.js";
import type { ObservedPod, Runtime } from "../runtime.js";
import type { EventSink } from "../sync-pod.js";
import { runHandler } from "./handlers.js";

export type ProbeKind = "liveness" | "readiness" | "startup";

const KIND_NAME: Record<ProbeKind, string> = {
  liveness: "Liveness",
  readiness: "Readiness",
  startup: "Startup",
};

export interface ProbeManagerOptions {
  runtime: Runtime;
  clock: Clock;
  events: EventSink;
  /** Called when a published result changes, with the pod's uid. */
  onChange(uid: string): void;
  /** Milliseconds per probe "second" (1000; tests scale probes down). */
  secondMs?: number;
  onProbe?(kind: ProbeKind, ok: boolean): void;
}

interface Worker {
  key: string;
  uid: string;
  kind: ProbeKind;
  containerId: string;
  stop(): void;
}

export class ProbeManager {
  readonly liveness = new Map<string, ProbeResult>();
  readonly readiness = new Map<string, ProbeResult>();
  readonly startup = new Map<string, ProbeResult>();
  private readonly workers = new Map<string, Worker>();
  private readonly secondMs: number;

  constructor(private readonly opts: ProbeManagerOptions) {
    this.secondMs = opts.secondMs ?? 1000;
  }

  private results(kind: ProbeKind): Map<string, ProbeResult> {
    return kind === "liveness" ? this.liveness : kind === "readiness" ? this.readiness : this.startup;
  }

  /** Starts workers for running containers with probes and stops those whose container is gone. */
  syncPod(pod: Pod, observed: ObservedPod, ip: string): void {
    const uid = pod.metadata.uid!;
    const want = new Set<string>();
    for (const spec of pod.spec?.containers ?? []) {
      const running = observed.containers.find((c) => c.name === spec.name && c.state === "running");
      if (!running) continue;
      for (const kind of ["startup", "liveness", "readiness"] as const) {
        const probe = spec[`${kind}Probe`];
        if (!probe) continue;
        const key = `${uid}/${running.id}/${kind}`;
        want.add(key);
        if (!this.workers.has(key))
          this.workers.set(key, this.startWorker(key, uid, kind, pod, spec, probe, running.id, ip));
      }
    }
    for (const w of this.workers.values()) if (w.uid === uid && !want.has(w.key)) this.stopWorker(w);
  }

  removePod(uid: string): void {
    for (const w of this.workers.values()) if (w.uid === uid) this.stopWorker(w);
  }

  stop(): void {
    for (const w of this.workers.values()) this.stopWorker(w);
  }

  private stopWorker(w: Worker): void {
    w.stop();
    this.workers.delete(w.key);
    this.results(w.kind).delete(w.containerId);
  }

  private startWorker(
    key: string,
    uid: string,
    kind: ProbeKind,
    pod: Pod,
    container: Container,
    probe: Probe,
    containerId: string,
    ip: string,
  ): Worker {
    const { clock } = this.opts;
    const periodMs = (probe.periodSeconds ?? 10) * this.secondMs;
    const timeoutMs = (probe.timeoutSeconds ?? 1) * this.secondMs;
    const successThreshold = probe.successThreshold ?? 1;
    const failureThreshold = probe.failureThreshold ?? 3;
    const results = this.results(kind);
    if (kind === "readiness") results.set(containerId, "failure");
    if (kind === "liveness") results.set(containerId, "success");
    let successes = 0;
    let failures = 0;
    let stopped = false;
    let cancel: (() => void) | undefined;
    const publish = (r: ProbeResult) => {
      if (results.get(containerId) === r) return;
      results.set(containerId, r);
      this.opts.onChange(uid);
    };
    const gated = () =>
      kind !== "startup" && !!container.startupProbe && this.startup.get(containerId) !== "success";
    const tick = async () => {
      if (stopped) return;
      if (!gated()) {
        const out = await runHandler(
          probe,
          { runtime: this.opts.runtime, containerId, container, ip },
          timeoutMs,
        );
        if (stopped) return;
        this.opts.onProbe?.(kind, out.ok);
        if (out.ok) {
          failures = 0;
          if (++successes >= successThreshold) publish("success");
        } else {
          successes = 0;
          failures++;
          this.opts.events.event(
            pod,
            "Warning",
            "Unhealthy",
            `${KIND_NAME[kind]} probe failed: ${out.output}`,
            `spec.containers{${container.name}}`,
          );
          if (failures >= failureThreshold) publish("failure");
        }
        // A startup probe is done once it succeeded; a failed liveness/startup waits for the kill.
        if (kind === "startup" && results.get(containerId) === "success") return;
        if (kind !== "readiness" && results.get(containerId) === "failure") return;
      }
      cancel = clock.setTimer(periodMs, () => void tick());
    };
    cancel = clock.setTimer((probe.initialDelaySeconds ?? 0) * this.secondMs, () => void tick());
    return {
      key,
      uid,
      kind,
      containerId,
      stop: () => {
        stopped = true;
        cancel?.();
      },
    };
  }
}
