// The cgroup decisions on a fake cgroup root: which version a host runs, and where the shim finds a
// container's OOM kills and usage on each. The real v1 files are exercised by runc.int.test.ts (the
// OOM-kill test) on this machine.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, test } from "node:test";
import { Cgroups, detectCgroupVersion } from "./cgroups.js";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "k8ts-cgroup-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test("cgroup v1 (memory controller mounted) and v2 (a unified root listing controllers) are told apart", () => {
  assert.equal(
    detectCgroupVersion(fakeRoot({ "memory/memory.limit_in_bytes": "9223372036854771712\n" })),
    "v1",
  );
  assert.equal(
    detectCgroupVersion(fakeRoot({ "cgroup.controllers": "cpuset cpu io memory hugetlb pids\n" })),
    "v2",
  );
  // Hybrid: v1 controllers plus an (empty) unified hierarchy — runc uses v1 there.
  const hybrid = fakeRoot({ "memory/memory.limit_in_bytes": "1\n", "unified/cgroup.controllers": "" });
  assert.equal(detectCgroupVersion(hybrid), "v1");
});

test("a v2 host without the memory controller, or no cgroups at all, is refused with a clear error", () => {
  assert.throws(
    () => detectCgroupVersion(fakeRoot({ "cgroup.controllers": "cpuset cpu io pids\n" })),
    /needs the memory cgroup v2 controller .*lists "cpuset cpu io pids"/,
  );
  assert.throws(() => detectCgroupVersion(fakeRoot({})), /neither cgroup v1 .* nor cgroup v2 .* is mounted/);
});

test("the same cgroupsPath on both; the OOM-kill counter is memory.oom_control on v1, memory.events on v2", () => {
  const v1 = new Cgroups("v1", "/cg");
  const v2 = new Cgroups("v2", "/cg");
  assert.equal(v1.cgroupsPath("abc"), "/k8ts/abc");
  assert.equal(v2.cgroupsPath("abc"), "/k8ts/abc");
  assert.equal(v1.oomCounter("abc"), "/cg/memory/k8ts/abc/memory.oom_control");
  assert.equal(v2.oomCounter("abc"), "/cg/k8ts/abc/memory.events");
});

test("usage on v1: cpuacct.usage, and memory usage minus total_inactive_file", () => {
  const root = fakeRoot({
    "cpuacct/k8ts/abc/cpuacct.usage": "123456789\n",
    "memory/k8ts/abc/memory.usage_in_bytes": "10000000\n",
    "memory/k8ts/abc/memory.stat": "cache 5\ninactive_file 7\ntotal_inactive_file 4000000\n",
  });
  assert.deepEqual(new Cgroups("v1", root).usage("abc"), { cpuNanos: 123456789, workingSetBytes: 6000000 });
});

test("usage on v2: cpu.stat usage_usec in nanoseconds, and memory.current minus inactive_file", () => {
  const root = fakeRoot({
    "k8ts/abc/cpu.stat": "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n",
    "k8ts/abc/memory.current": "10000000\n",
    "k8ts/abc/memory.stat": "anon 100\nactive_file 9\ninactive_file 3000000\n",
  });
  assert.deepEqual(new Cgroups("v2", root).usage("abc"), { cpuNanos: 2_500_000, workingSetBytes: 7000000 });
  assert.deepEqual(new Cgroups("v2", root).usage("gone"), { cpuNanos: 0, workingSetBytes: 0 });
});

test("remove takes away every v1 controller's directory, or the one v2 directory; twice is harmless", () => {
  const v1 = fakeRoot({ "memory/k8ts/abc/.keep": "", "pids/k8ts/abc/.keep": "" });
  for (const c of ["memory", "pids"]) rmSync(join(v1, c, "k8ts", "abc", ".keep"));
  new Cgroups("v1", v1).remove("abc");
  assert.ok(!existsSync(join(v1, "memory", "k8ts", "abc")) && !existsSync(join(v1, "pids", "k8ts", "abc")));
  const v2 = fakeRoot({ "k8ts/abc/.keep": "" });
  rmSync(join(v2, "k8ts", "abc", ".keep"));
  new Cgroups("v2", v2).remove("abc");
  new Cgroups("v2", v2).remove("abc");
  assert.ok(!existsSync(join(v2, "k8ts", "abc")));
  assert.ok(existsSync(join(v2, "k8ts")), "the shared parent stays");
});
