// bench/runtime: container create+start latency through the runtime-shim (CreateContainer +
// StartContainer over its gRPC socket, runc backend) beside raw `runc run --detach` of the same
// bundle (same config.json, same overlay rootfs, same pod network namespace) measured in the same
// run, interleaved with it. Each container is removed after it is measured, so only one runs at a
// time. Prints one JSON document, with the load average around the run. Needs root and runc.
//
// Flags: --containers 100

import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startRuntimeShim } from "../../testing/index.js";
import { percentile } from "../percentile.js";

const { values } = parseArgs({ options: { containers: { type: "string", default: "100" } } });
const N = Number(values.containers);

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50Ms: percentile(s, 50, 1), p99Ms: percentile(s, 99, 1), meanMs: r(mean), n: s.length };
}

const shim = await startRuntimeShim({ backend: "runc" });
try {
  await shim.image.PullImage({ image: { image: "busybox" } });
  const { podSandboxId } = await shim.runtime.RunPodSandbox({
    config: {
      metadata: { name: "bench", namespace: "bench", uid: "bench-uid" },
      logDirectory: join(shim.dir, "logs"),
    },
  });
  const config = (i: number) => ({
    metadata: { name: `c${i}` },
    image: { image: "busybox" },
    command: ["sleep", "1000"],
    logPath: `c${i}.log`,
  });

  // Warm-up (not measured): page caches, the monitor's code, runc's binary.
  const warm = await shim.runtime.CreateContainer({ podSandboxId, config: config(-1) });
  await shim.runtime.StartContainer({ containerId: warm.containerId });
  const bundleConfig = readFileSync(join(shim.root, "containers", warm.containerId!, "config.json"), "utf8");
  await shim.runtime.RemoveContainer({ containerId: warm.containerId });

  // Raw runc: the same config.json over the same image rootfs (its own overlay, mounted once, so
  // raw excludes the rootfs mount the shim's create does) in the same netns.
  const image = (await shim.image.ImageStatus({ image: { image: "busybox" } })).image!;
  const lower = join(shim.root, "images", "rootfs", image.id!.slice(7));
  const bundle = join(shim.dir, "raw-bundle");
  for (const d of ["rootfs", "upper", "work"]) mkdirSync(join(bundle, d), { recursive: true });
  execFileSync("mount", [
    "-t",
    "overlay",
    "overlay",
    "-o",
    `lowerdir=${lower},upperdir=${bundle}/upper,workdir=${bundle}/work`,
    `${bundle}/rootfs`,
  ]);
  const runcRoot = join(shim.dir, "raw-runc");
  const rawRun = (i: number): number => {
    const id = `k8ts-bench-raw-${process.pid}-${i}`;
    const spec = JSON.parse(bundleConfig);
    spec.linux.cgroupsPath = `/k8ts-bench/${id}`;
    writeFileSync(join(bundle, "config.json"), JSON.stringify(spec));
    const t0 = performance.now();
    // The container inherits runc's stdio, so it must not be a pipe spawnSync would wait on.
    const err = openSync(join(shim.dir, "raw-runc.err"), "w");
    const r = spawnSync("runc", ["--root", runcRoot, "run", "--detach", "--bundle", bundle, id], {
      stdio: ["ignore", "ignore", err],
    });
    const took = performance.now() - t0;
    closeSync(err);
    if (r.status !== 0)
      throw new Error(`runc run failed: ${readFileSync(join(shim.dir, "raw-runc.err"), "utf8")}`);
    spawnSync("runc", ["--root", runcRoot, "delete", "--force", id], { stdio: "ignore" });
    return took;
  };
  const viaShim = async (i: number) => {
    const t0 = performance.now();
    const { containerId } = await shim.runtime.CreateContainer({ podSandboxId, config: config(i) });
    const t1 = performance.now();
    await shim.runtime.StartContainer({ containerId });
    const t2 = performance.now();
    await shim.runtime.RemoveContainer({ containerId });
    return { total: t2 - t0, create: t1 - t0, start: t2 - t1 };
  };

  // Interleaved, one shim container then one raw run (the order alternating), so both see the same
  // load: on a shared machine the load drifts over a run, and back-to-back series would compare
  // different moments.
  const shimMs: number[] = [];
  const createMs: number[] = [];
  const startMs: number[] = [];
  const raw: number[] = [];
  const loadBefore = loadavg()[0]!;
  try {
    rawRun(-1);
    for (let i = 0; i < N; i++) {
      const shimFirst = i % 2 === 0;
      if (!shimFirst) raw.push(rawRun(i));
      const m = await viaShim(i);
      shimMs.push(m.total);
      createMs.push(m.create);
      startMs.push(m.start);
      if (shimFirst) raw.push(rawRun(i));
    }
  } finally {
    spawnSync("umount", [`${bundle}/rootfs`]);
    for (const c of ["blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids", "systemd"])
      spawnSync("rmdir", [`/sys/fs/cgroup/${c}/k8ts-bench`], { stdio: "ignore" });
    spawnSync("rmdir", ["/sys/fs/cgroup/k8ts-bench"], { stdio: "ignore" });
  }

  const shimSummary = summary(shimMs);
  const rawSummary = summary(raw);
  const ratio = Math.round((shimSummary.p50Ms / rawSummary.p50Ms) * 100) / 100;
  console.log(
    JSON.stringify(
      {
        benchmark: "runtime create+start",
        containers: N,
        shim: { ...shimSummary, createContainer: summary(createMs), startContainer: summary(startMs) },
        rawRunc: rawSummary,
        fairness:
          "interleaved in one run (shim, raw, alternating order); raw is `runc run --detach` of the config.json the shim wrote (for its warm-up container) over an overlay of the same image rootfs, in the same pod netns; the shim's figure also includes its rootfs mount and CRI bookkeeping",
        load: { cpus: cpus().length, loadavg1Before: loadBefore, loadavg1After: loadavg()[0] },
        ratioP50: ratio,
        ratioP99: Math.round((shimSummary.p99Ms / rawSummary.p99Ms) * 100) / 100,
        goal: { ratioP50AtMost: 1.5, shimP50MsUnder: 150 },
        goalMet: ratio <= 1.5 && shimSummary.p50Ms < 150,
      },
      null,
      2,
    ),
  );
} finally {
  await shim.stop();
}
