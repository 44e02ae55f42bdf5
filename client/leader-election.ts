// Leader election on a coordination.k8s.io/v1 Lease, after client-go's leaderelection package.
//
// - A candidate takes the lease when it is free (no holder, e.g. released) or expired
//   (renewTime + leaseDurationSeconds < now), writing itself as holder with a compare-and-swap
//   update (the lease's resourceVersion): of two candidates racing, the server lets one win and
//   answers 409 to the other. Taking it from another holder counts one leaseTransition.
// - The leader renews every retryPeriod. If no renewal has succeeded for renewDeadline, it stops
//   leading (aborts the signal given to onStartedLeading, then calls onStoppedLeading). Because
//   renewDeadline < leaseDuration, it steps down before anyone else may take the lease over.
// - Stopping a leader releases the lease (holder cleared), so a successor need not wait for expiry.
//
// Expiry is judged from the lease's renewTime against this process's clock, so candidates must
// share a reasonably synchronised clock (the components of one cluster do). client-go instead times
// the lease from when it last saw it change, which tolerates skew but makes a fresh candidate wait
// a full lease duration; we prefer the quicker takeover.

import { type Lease, type LeaseSpec, resourceFor } from "../api/index.js";
import { type Clock, realClock, sleep } from "./clock.js";
import { isAlreadyExists, isConflict, isNotFound } from "./errors.js";
import type { RestClient } from "./rest.js";

/** The three Lease calls leader election makes; RestClient-backed by `leaseApiFor`. */
export interface LeaseApi {
  /** Throws ApiError NotFound when absent. */
  get(namespace: string, name: string): Promise<Lease>;
  /** Throws ApiError AlreadyExists when another candidate created it first. */
  create(lease: Lease): Promise<Lease>;
  /** Compare-and-swap on metadata.resourceVersion; throws ApiError Conflict when stale. */
  update(lease: Lease): Promise<Lease>;
}

export function leaseApiFor(client: RestClient): LeaseApi {
  const leases = resourceFor("coordination.k8s.io", "leases")!;
  return {
    get: (namespace, name) => client.get<Lease>(leases, name, { namespace }),
    create: (lease) => client.create<Lease>(leases, lease),
    update: (lease) => client.update<Lease>(leases, lease),
  };
}

export interface LeaderCallbacks {
  /** Called on becoming leader; `signal` aborts when leadership ends. May run as long as it likes. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called once leadership has ended (after the signal aborted and the lease was released). */
  onStoppedLeading(): void;
  /** Called whenever the observed holder changes (including to ourselves). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  api: LeaseApi;
  /** Lease name; namespace "kube-system" when omitted. */
  lease: { name: string; namespace?: string };
  /** Unique per candidate process: hostname + random suffix, typically. */
  identity: string;
  /** Whole seconds (the Lease stores seconds); 15 s when omitted. */
  leaseDurationMs?: number;
  /** 10 s when omitted. */
  renewDeadlineMs?: number;
  /** 2 s when omitted. */
  retryPeriodMs?: number;
  /** Clear the holder when stopped while leading; true when omitted. */
  releaseOnCancel?: boolean;
  callbacks: LeaderCallbacks;
  clock?: Clock;
  random?: () => number;
  /** Failed Lease calls (other than the expected 404/409) and callback failures, for logs. */
  onError?(err: unknown): void;
}

/** client-go's factor: acquire attempts are spread over [retryPeriod, 2.2 × retryPeriod). */
const ACQUIRE_JITTER = 1.2;

export class LeaderElectionConfigError extends Error {
  override readonly name = "LeaderElectionConfigError";
}

/** MicroTime: RFC 3339 with six fractional digits ("2026-11-26T01:02:03.123456Z"). */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "000Z");
}

export function parseMicroTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export class LeaderElector {
  private readonly cfg: Required<Omit<LeaderElectionConfig, "onError" | "lease">> & {
    onError: (err: unknown) => void;
  };
  private readonly namespace: string;
  private readonly name: string;
  private leading = false;
  private observedHolder: string | undefined;
  /** Clock time of our last successful create/take-over/renew. */
  private lastRenewAt = 0;

  constructor(config: LeaderElectionConfig) {
    this.cfg = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      releaseOnCancel: true,
      clock: realClock,
      random: Math.random,
      ...config,
      onError: config.onError ?? (() => {}),
    };
    this.namespace = config.lease.namespace ?? "kube-system";
    this.name = config.lease.name;
    validate(this.cfg);
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * For /healthz: false when we believe we lead but have not renewed for longer than the lease
   * duration plus `toleranceMs` — the renew loop is stuck (event loop blocked, deadlock) and another
   * process may already lead. Not leading is healthy.
   */
  healthy(toleranceMs = 20_000): boolean {
    if (!this.leading) return true;
    return this.cfg.clock.now() - this.lastRenewAt <= this.cfg.leaseDurationMs + toleranceMs;
  }

  /** The holder seen in the lease at the last look, if any. */
  getLeader(): string | undefined {
    return this.observedHolder;
  }

  /**
   * Campaigns until leading, leads until leadership is lost or `signal` aborts, then returns.
   * Returns without ever leading if `signal` aborts first. Call again to campaign again.
   */
  async run(signal: AbortSignal = new AbortController().signal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const leadership = new AbortController();
    this.leading = true;
    this.invoke(() => this.cfg.callbacks.onStartedLeading(leadership.signal));
    await this.renewUntilLost(signal);
    this.leading = false;
    leadership.abort();
    if (signal.aborted && this.cfg.releaseOnCancel) await this.release();
    this.invoke(() => this.cfg.callbacks.onStoppedLeading());
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    const { clock, retryPeriodMs, random } = this.cfg;
    for (;;) {
      if (signal.aborted) return false;
      if (await this.tryAcquireOrRenew()) return true;
      await sleep(clock, retryPeriodMs * (1 + random() * ACQUIRE_JITTER), signal);
    }
  }

  private async renewUntilLost(signal: AbortSignal): Promise<void> {
    const { clock, retryPeriodMs, renewDeadlineMs } = this.cfg;
    let lastRenew = clock.now();
    for (;;) {
      await sleep(clock, retryPeriodMs, signal);
      if (signal.aborted) return;
      const deadline = lastRenew + renewDeadlineMs;
      let renewed = false;
      while (!renewed && !signal.aborted && clock.now() < deadline) {
        // A call that hangs past the deadline counts as failed: we must not lead on borrowed time.
        renewed = await this.beforeDeadline(this.tryAcquireOrRenew(), deadline);
        if (!renewed) await sleep(clock, Math.min(retryPeriodMs, deadline - clock.now()), signal);
      }
      if (!renewed) return;
      lastRenew = clock.now();
    }
  }

  private beforeDeadline(attempt: Promise<boolean>, deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancel = this.cfg.clock.setTimer(deadline - this.cfg.clock.now(), () => resolve(false));
      attempt.then(
        (ok) => {
          cancel();
          resolve(ok);
        },
        () => resolve(false),
      );
    });
  }

  /** One look at the lease: create it, take it over, or renew it. True if we hold it afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { api, identity, clock, leaseDurationMs } = this.cfg;
    const now = clock.now();
    const ours: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: leaseDurationMs / 1000,
      acquireTime: formatMicroTime(now),
      renewTime: formatMicroTime(now),
      leaseTransitions: 0,
    };
    let current: Lease;
    try {
      current = await api.get(this.namespace, this.name);
    } catch (err) {
      if (!isNotFound(err)) return this.failed(err);
      try {
        this.observe(
          await api.create({
            apiVersion: "coordination.k8s.io/v1",
            kind: "Lease",
            metadata: { namespace: this.namespace, name: this.name },
            spec: ours,
          }),
        );
        this.lastRenewAt = now;
        return true;
      } catch (err) {
        return isAlreadyExists(err) ? false : this.failed(err);
      }
    }
    this.observe(current);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? "";
    const renewing = holder === identity;
    if (holder !== "" && !renewing && !expired(spec, now)) return false;
    const next: LeaseSpec = renewing
      ? {
          ...spec,
          ...ours,
          acquireTime: spec.acquireTime ?? ours.acquireTime,
          leaseTransitions: spec.leaseTransitions ?? 0,
        }
      : { ...spec, ...ours, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 };
    try {
      this.observe(await api.update({ ...current, spec: next }));
      this.lastRenewAt = now;
      return true;
    } catch (err) {
      return isConflict(err) ? false : this.failed(err);
    }
  }

  /** Gives the lease up: holder cleared, so the next candidate need not wait for expiry. */
  private async release(): Promise<void> {
    const { api, identity, clock } = this.cfg;
    try {
      const current = await api.get(this.namespace, this.name);
      if (current.spec?.holderIdentity !== identity) return;
      const now = formatMicroTime(clock.now());
      await api.update({
        ...current,
        spec: {
          ...current.spec,
          holderIdentity: "",
          leaseDurationSeconds: 1,
          acquireTime: now,
          renewTime: now,
        },
      });
    } catch (err) {
      // Not fatal: the lease expires on its own.
      this.cfg.onError(err);
    }
  }

  private observe(lease: Lease): void {
    const holder = lease.spec?.holderIdentity || undefined;
    if (holder === this.observedHolder) return;
    this.observedHolder = holder;
    const cb = this.cfg.callbacks.onNewLeader;
    if (holder && cb) this.invoke(() => cb(holder));
  }

  private failed(err: unknown): false {
    this.cfg.onError(err);
    return false;
  }

  private invoke(fn: () => void | Promise<void>): void {
    try {
      const r = fn();
      if (r instanceof Promise) r.catch((err) => this.cfg.onError(err));
    } catch (err) {
      this.cfg.onError(err);
    }
  }
}

function expired(spec: LeaseSpec, now: number): boolean {
  const renewed = parseMicroTime(spec.renewTime);
  if (renewed === undefined) return true;
  return renewed + (spec.leaseDurationSeconds ?? 0) * 1000 < now;
}

function validate(c: {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  identity: string;
}) {
  const fail = (msg: string) => {
    throw new LeaderElectionConfigError(msg);
  };
  if (!c.identity) fail("identity is required");
  if (c.leaseDurationMs <= 0 || c.leaseDurationMs % 1000 !== 0) {
    fail(`leaseDurationMs must be a positive whole number of seconds, got ${c.leaseDurationMs}`);
  }
  if (c.retryPeriodMs <= 0) fail("retryPeriodMs must be positive");
  if (c.leaseDurationMs <= c.renewDeadlineMs) fail("leaseDurationMs must be greater than renewDeadlineMs");
  if (c.renewDeadlineMs <= ACQUIRE_JITTER * c.retryPeriodMs) {
    fail(`renewDeadlineMs must be greater than ${ACQUIRE_JITTER} × retryPeriodMs`);
  }
}
