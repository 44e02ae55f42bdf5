// A real runtime-shim process for tests: `k8ts runtime-shim` on a unix socket in a temp dir, with a
// CRI client. stop() removes every sandbox through the API (which stops their containers and their
// monitors), then ends the shim by its process group and deletes the temp dir. With runc, each shim
// gets its own CNI bridge and a random /24 pod CIDR, so shims running side by side do not collide;
// stop() deletes the bridge.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  connectRuntime,
  type ImageServiceClient,
  type RuntimeServiceClient,
} from "../proto/runtime/v1/index.js";
import { waitFor } from "./wait.js";

const cliMain = fileURLToPath(new URL("../cli/main.js", import.meta.url));

export interface TestRuntimeShim {
  address: string;
  root: string;
  /** A scratch directory for the test's logs and volumes, removed by stop(). */
  dir: string;
  /** runc: the shim's pod CIDR and CNI bridge. */
  podCidr: string;
  bridge: string;
  runtime: RuntimeServiceClient;
  image: ImageServiceClient;
  /** Kills the shim (SIGKILL, containers keep running) and starts it again on the same root. */
  restart(): Promise<void>;
  /** Kills the shim and runs `k8ts runtime-shim --teardown` on its root; start() serves again. */
  teardown(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRuntimeShim(opts: { backend: "runc" | "process" }): Promise<TestRuntimeShim> {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-shim-"));
  const bridge = `k8ts${randomBytes(4).toString("hex")}`;
  const podCidr = `10.${100 + randomInt(100)}.${randomInt(256)}.0/24`;
  const network = opts.backend === "runc" ? ["--pod-cidr", podCidr, "--cni-bridge", bridge] : [];
  const root = join(dir, "root");
  const address = `unix://${join(dir, "runtime.sock")}`;
  let child: ChildProcess | undefined;
  let stderr = "";
  let clients = connectRuntime(address);

  const launch = async () => {
    stderr = "";
    child = spawn(
      process.execPath,
      [cliMain, "runtime-shim", "--listen", address, "--root", root, "--backend", opts.backend, ...network],
      { detached: true, stdio: ["ignore", "ignore", "pipe"] },
    );
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const c = child;
    await waitFor(
      async () => {
        if (c.exitCode !== null) throw new Error(`runtime-shim exited with ${c.exitCode}: ${stderr}`);
        return clients.runtime.Version({}, { deadlineMs: 500 });
      },
      { timeoutMs: 15_000, what: "runtime-shim to answer Version" },
    );
  };

  const kill = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    const gone = new Promise((r) => c.once("exit", r));
    try {
      process.kill(-c.pid, "SIGKILL");
    } catch {}
    await gone;
  };

  await launch();
  const shim: TestRuntimeShim = {
    address,
    root,
    dir,
    podCidr,
    bridge,
    get runtime() {
      return clients.runtime;
    },
    get image() {
      return clients.image;
    },
    async restart() {
      await kill();
      clients.runtime.close();
      clients.image.close();
      clients = connectRuntime(address);
      await launch();
    },
    async teardown() {
      await kill();
      const r = spawnSync(
        process.execPath,
        [cliMain, "runtime-shim", "--teardown", "--root", root, "--backend", opts.backend, ...network],
        { encoding: "utf8" },
      );
      if (r.status !== 0) throw new Error(`runtime-shim --teardown failed (${r.status}): ${r.stderr}`);
    },
    async start() {
      clients.runtime.close();
      clients.image.close();
      clients = connectRuntime(address);
      await launch();
    },
    async stop() {
      try {
        if (child) {
          const { items = [] } = await clients.runtime.ListPodSandbox({});
          for (const s of items) await clients.runtime.RemovePodSandbox({ podSandboxId: s.id });
        }
      } finally {
        clients.runtime.close();
        clients.image.close();
        await kill();
        if (network.length) spawnSync("ip", ["link", "delete", bridge], { stdio: "ignore" });
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return shim;
}
