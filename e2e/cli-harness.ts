// What the k8ts CLI e2e suites share: a real API server process on a real etcd with a kubeconfig,
// the CLI and the real kubectl run as processes against it (same environment, no colour), long
// watches run as children, and the manifests the suites apply. Each suite starts its own server.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RESOURCES } from "../api/index.js";
import { RestClient } from "../client/index.js";
import { startApiServerProcess } from "../testing/apiserver-process.js";
import { K8TS_MAIN, kubectlBinary, type RunResult, run } from "../testing/index.js";

export const resource = (kind: string) => RESOURCES.find((r) => r.kind === kind)!;

/** Ages move while a test runs: compare tables with them blanked. */
export const noAges = (s: string) => s.replace(/\b\d+(s|m\d*s?|h\d*m?|d\d*h?)\b/g, "AGE");
/** Ages of different widths shift later columns by a space: fold runs of spaces too. */
export const fold = (t: string) => noAges(t).replace(/ +/g, " ");

export async function ok(p: Promise<RunResult>): Promise<RunResult> {
  const r = await p;
  assert.equal(r.code, 0, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

export interface Watcher {
  out(): string;
  err(): string;
  stop(): void;
}

export interface CliHarness {
  /** A scratch directory (HOME of every command), removed by stop(). */
  dir: string;
  kubeconfig: string;
  client: RestClient;
  env(): NodeJS.ProcessEnv;
  k8ts(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<RunResult>;
  kubectl(args: string[], opts?: { input?: string }): Promise<RunResult>;
  /** Writes `text` to `name` in dir; returns the path. */
  file(name: string, text: string): string;
  /** `k8ts create namespace NAME`, which must succeed. */
  namespace(name: string): Promise<void>;
  /** A long-running command (a watch): its output so far, and a stop that kills it. */
  watcher(bin: string, args: string[]): Watcher;
  stop(): Promise<void>;
}

export async function startCliHarness(): Promise<CliHarness> {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-cli-"));
  const cluster = await startApiServerProcess(dir);
  const env = () => ({ ...process.env, KUBECONFIG: cluster.kubeconfig, HOME: dir, NO_COLOR: "1" });
  const kubectlEnv = () => ({ ...env(), KUBECACHEDIR: join(dir, "kubectl-cache") });
  const k8ts: CliHarness["k8ts"] = (args, opts = {}) =>
    run(process.execPath, [K8TS_MAIN, ...args], { env: env(), ...opts });
  return {
    dir,
    kubeconfig: cluster.kubeconfig,
    client: new RestClient({ server: cluster.server }),
    env,
    k8ts,
    kubectl: (args, opts = {}) => run(kubectlBinary(), args, { env: kubectlEnv(), ...opts }),
    file(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    async namespace(name) {
      await ok(k8ts(["create", "namespace", name]));
    },
    watcher(bin, args) {
      const child = spawn(bin, args, { env: kubectlEnv(), stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString();
      });
      return { out: () => out, err: () => err, stop: () => child.kill("SIGKILL") };
    },
    async stop() {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The test deployment "web": image and replicas vary; a tier label and env, a sidecar and an httpGet
 * readiness probe optional.
 */
export const DEPLOY = (opts: {
  image: string;
  replicas: number;
  tier?: boolean;
  sidecar?: boolean;
  readinessProbe?: boolean;
}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web${opts.tier ? "\n    tier: frontend" : ""}
spec:
  replicas: ${opts.replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${opts.image}
        env:
        - name: COLOR
          value: blue${opts.tier ? "\n        - name: TIER\n          value: frontend" : ""}
        ports:
        - containerPort: 8080${
          opts.readinessProbe
            ? "\n        readinessProbe:\n          httpGet:\n            path: /\n            port: 8080"
            : ""
        }${opts.sidecar ? "\n      - name: side\n        image: busybox:1.36\n        command: [sleep, '3600']" : ""}
`;

/** A small pod labelled app=NAME; `extra` goes right after `spec:` (nodeName, initContainers). */
export const POD = (name: string, extra = "") => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:${extra}
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: 100m
        memory: 64Mi
`;
