// A real etcd for tests and benchmarks: free ports, a temp data dir, stopped by PID (its own
// process group), data removed afterwards. Needs the Debian `etcd-server` package.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { get as httpsGet } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Etcd3 } from "etcd3";
import { etcdArgs, etcdEnv } from "../cli/cluster/index.js";
import { freePort } from "./ports.js";
import { waitFor } from "./wait.js";

export interface TestEtcd {
  /** Client URL, e.g. http://127.0.0.1:34567. */
  endpoint: string;
  dataDir: string;
  pid: number;
  /** Stops etcd (SIGKILL to its process group) and keeps the data, so `start()` can bring it back. */
  kill(): Promise<void>;
  /** Starts etcd again on the same ports and data (after kill). */
  restart(): Promise<void>;
  /** Stops etcd and removes its data. */
  stop(): Promise<void>;
  /** A client of its own (the etcd3 package), for what tests do behind the API server's back. */
  client(): Etcd3;
  /** Compacts its history up to the newest revision. */
  compact(): Promise<void>;
}

async function healthy(endpoint: string, ca?: string): Promise<boolean> {
  if (ca) {
    return new Promise((resolve) => {
      const req = httpsGet(`${endpoint}/health`, { ca, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("timeout", () => req.destroy());
      req.on("error", () => resolve(false));
    });
  }
  try {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

export interface TestEtcdOptions {
  binary?: string;
  /** Serve clients over TLS (https endpoint): PEM files of the server's certificate and key, and
   * of the CA that signed it (for the health check). */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export async function startEtcd(opts: TestEtcdOptions = {}): Promise<TestEtcd> {
  const binary = opts.binary ?? process.env.K8TS_ETCD_BINARY ?? "etcd";
  const dataDir = mkdtempSync(join(tmpdir(), "k8ts-etcd-"));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const endpoint = `${opts.tls ? "https" : "http"}://127.0.0.1:${clientPort}`;
  const ca = opts.tls ? readFileSync(opts.tls.caFile, "utf8") : undefined;
  let child: ChildProcess | undefined;
  let stderr = "";

  const launch = async () => {
    stderr = "";
    child = spawn(
      binary,
      etcdArgs({
        name: "test",
        dataDir: join(dataDir, "data"),
        clientPort,
        peerPort,
        logLevel: "error",
        // Tests want fast commits more than durability across power loss.
        unsafeNoFsync: true,
        tls: opts.tls,
      }),
      { detached: true, stdio: ["ignore", "ignore", "pipe"], env: etcdEnv() },
    );
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const exited = new Promise<never>((_, reject) =>
      child?.once("exit", (code) => reject(new Error(`etcd exited with code ${code}: ${stderr}`))),
    );
    exited.catch(() => {});
    await Promise.race([
      waitFor(() => healthy(endpoint, ca), { timeoutMs: 20_000, what: "etcd to become healthy" }),
      exited,
    ]);
  };

  const kill = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    const gone = new Promise((r) => c.once("exit", r));
    try {
      process.kill(-c.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
    await gone;
  };

  const client = () =>
    new Etcd3({ hosts: endpoint, ...(ca ? { credentials: { rootCertificate: Buffer.from(ca) } } : {}) });

  try {
    await launch();
  } catch (err) {
    await kill();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  return {
    endpoint,
    dataDir,
    get pid() {
      return child?.pid ?? -1;
    },
    kill,
    restart: launch,
    client,
    async compact() {
      const c = client();
      try {
        const { header } = await c.kv.range({ key: Buffer.from("/") });
        await c.kv.compact({ revision: header.revision });
      } finally {
        c.close();
      }
    },
    async stop() {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
