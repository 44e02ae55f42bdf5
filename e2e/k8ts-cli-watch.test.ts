// `k8ts get -w` as a user runs it, side by side with the real kubectl's watch: the CLI as a process
// against a real API server process on a real etcd, changes made while both watch.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { K8TS_MAIN, kubectlBinary, waitFor } from "../testing/index.js";
import { type CliHarness, DEPLOY, fold, ok, POD, resource, startCliHarness } from "./cli-harness.js";

let h: CliHarness;
before(async () => {
  h = await startCliHarness();
});
after(async () => {
  await h?.stop();
});

describe("get --watch", () => {
  test("get -w -o yaml|json|name and --output-watch-events print what kubectl's watch prints", async () => {
    await h.namespace("watch-objects");
    await ok(h.k8ts(["apply", "-n", "watch-objects", "-f", h.file("wo.yaml", POD("o1"))]));
    const variants = [
      ["-o", "yaml"],
      ["-o", "json"],
      ["-o", "name", "--output-watch-events"],
      ["-o", "yaml", "--output-watch-events"],
      ["--output-watch-events"],
    ];
    const pairs = variants.map((v) => {
      const args = ["get", "pods", "-w", "-n", "watch-objects", ...v];
      return {
        args,
        mine: h.watcher(process.execPath, [K8TS_MAIN, ...args]),
        theirs: h.watcher(kubectlBinary(), args),
      };
    });
    // Four changes in all: o1 listed (ADDED), o1 labelled, o2 created, o2 deleted (no node: at once).
    const count = (v: string[], out: string) =>
      v.includes("json") && !v.includes("--output-watch-events")
        ? (out.match(/^\{$/gm) ?? []).length
        : v.includes("yaml")
          ? out.split(/^---$/m).filter((d) => d.trim()).length
          : out.split("\n").filter((l) => l && !l.startsWith("EVENT")).length;
    try {
      for (const p of pairs)
        await waitFor(() => count(p.args, p.mine.out()) >= 1 && count(p.args, p.theirs.out()) >= 1, {
          timeoutMs: 30_000,
          what: `the first object from both watches of ${p.args.join(" ")}:\n${p.mine.out()}${p.mine.err()}\n---\n${p.theirs.out()}${p.theirs.err()}`,
        });
      await ok(h.k8ts(["label", "pod", "o1", "seen=yes", "-n", "watch-objects"]));
      await ok(h.k8ts(["apply", "-n", "watch-objects", "-f", h.file("wo2.yaml", POD("o2"))]));
      await ok(h.k8ts(["delete", "pod", "o2", "-n", "watch-objects"]));
      for (const p of pairs) {
        const same = () => fold(p.mine.out()) === fold(p.theirs.out()) && count(p.args, p.mine.out()) === 4;
        await waitFor(same, { timeoutMs: 20_000, what: `the same four changes` }).catch(() => {
          assert.equal(fold(p.mine.out()), fold(p.theirs.out()), p.args.join(" "));
          assert.equal(count(p.args, p.mine.out()), 4, p.mine.out());
        });
      }
      assert.match(pairs[2]!.mine.out(), /^pod\/o1\npod\/o1\npod\/o2\npod\/o2\n$/);
      assert.match(pairs[3]!.mine.out(), /^type: DELETED$/m);
      assert.match(pairs[4]!.mine.out(), /^EVENT\s+NAME\s+READY.*\nADDED\s+o1 .*\nMODIFIED\s+o1 /);
    } finally {
      for (const p of pairs) {
        p.mine.stop();
        p.theirs.stop();
      }
    }
  });

  test("get --watch-only prints changes only, from the moment it listed", async () => {
    await h.namespace("watch-only");
    await ok(h.k8ts(["apply", "-n", "watch-only", "-f", h.file("wl.yaml", POD("wo"))]));
    const before = await h.client.get(resource("Pod"), "wo", { namespace: "watch-only" });
    const w = h.watcher(process.execPath, [
      K8TS_MAIN,
      ...["get", "pod", "wo", "--watch-only", "-o", "json", "--output-watch-events", "-n", "watch-only"],
    ]);
    try {
      // Until it has listed, a change is part of what it does not print: change until one shows.
      let n = 0;
      await waitFor(
        async () => {
          await ok(h.k8ts(["annotate", "pod", "wo", `n=${++n}`, "--overwrite", "-n", "watch-only"]));
          return w.out().includes("\n");
        },
        { timeoutMs: 30_000, intervalMs: 200, what: `a change from the watch:\n${w.out()}${w.err()}` },
      );
      const events = w
        .out()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { type: string; object: { metadata: { resourceVersion: string } } });
      for (const e of events) {
        assert.equal(e.type, "MODIFIED");
        assert.ok(Number(e.object.metadata.resourceVersion) > Number(before.metadata.resourceVersion));
      }
    } finally {
      w.stop();
    }
  });

  test("get -w with several types: the tables of `get a,b`, then each change under its own type", async () => {
    await h.namespace("watch-types");
    await ok(
      h.k8ts([
        "apply",
        "-n",
        "watch-types",
        "-f",
        h.file("wt.yaml", `${POD("m1")}---\n${DEPLOY({ image: "busybox:1.36", replicas: 1 })}`),
      ]),
    );
    const theirs = await ok(h.kubectl(["get", "pods,deploy", "-n", "watch-types"]));
    const refused = await h.kubectl(["get", "pods,deploy", "-w", "-n", "watch-types"]);
    assert.notEqual(refused.code, 0, "kubectl watches one type only; k8ts goes further");
    const w = h.watcher(process.execPath, [K8TS_MAIN, "get", "pods,deploy", "-w", "-n", "watch-types"]);
    try {
      await waitFor(() => w.out().includes("deployment.apps/web"), {
        timeoutMs: 30_000,
        what: `the first tables:\n${w.out()}${w.err()}`,
      });
      assert.equal(fold(w.out()), fold(theirs.stdout));
      await ok(h.k8ts(["scale", "deploy/web", "--replicas=3", "-n", "watch-types"]));
      await ok(h.k8ts(["apply", "-n", "watch-types", "-f", h.file("wt2.yaml", POD("m2"))]));
      const lines = () => w.out().split("\n");
      await waitFor(() => lines().some((l) => l.startsWith("pod/m2 ")), { what: `m2:\n${w.out()}` });
      await waitFor(() => lines().filter((l) => l.startsWith("deployment.apps/web ")).length === 2, {
        what: `the scaled deployment:\n${w.out()}`,
      });
      // Each change keeps its own type's columns: the deployment's READY column, the pod's STATUS.
      const deployHeader = lines().find((l) => l.startsWith("NAME") && l.includes("UP-TO-DATE"))!;
      const scaled = lines().filter((l) => l.startsWith("deployment.apps/web "))[1]!;
      assert.equal(scaled.indexOf("0/3"), deployHeader.indexOf("READY"));
      assert.match(lines().find((l) => l.startsWith("pod/m2 "))!, /^pod\/m2\s+0\/1\s+Pending\s+0\s+\d+s$/);
      assert.equal(w.out().match(/^NAME /gm)?.length, 2, "one header per type");
    } finally {
      w.stop();
    }
  });
});
