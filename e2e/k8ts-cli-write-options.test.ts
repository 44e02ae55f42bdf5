// How the writing verbs send their writes, as a user runs them: the k8ts CLI and the real kubectl as
// processes against a real API server process on a real etcd. --dry-run=client|server (the same
// lines from both, and etcd's revision unmoved), delete's --cascade and --now (the same objects).

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Deployment } from "../api/index.js";
import type { RunResult } from "../testing/index.js";
import { type CliHarness, DEPLOY, ok, POD, resource, startCliHarness } from "./cli-harness.js";

let h: CliHarness;
before(async () => {
  h = await startCliHarness();
});
after(async () => {
  await h?.stop();
});

describe("--dry-run", () => {
  test("client and server dry runs say what kubectl says and change nothing at all", async () => {
    await h.namespace("dry");
    const f = (name: string, text: string) => h.file(`dry-${name}.yaml`, text);
    const dr1 = f("dr1", POD("dr1"));
    const web = f("web", DEPLOY({ image: "busybox:1.36", replicas: 1 }));
    await ok(h.k8ts(["apply", "-n", "dry", "-f", dr1, "-f", web]));
    const NAMESPACES = resource("Namespace");
    // etcd's revision: any write anywhere in the cluster moves it.
    const revision = async () => (await h.client.list(NAMESPACES, { limit: 1 })).metadata.resourceVersion;
    const before = await revision();
    const dr2 = f("dr2", POD("dr2"));
    const web5 = f("web5", DEPLOY({ image: "busybox:1.37", replicas: 5 }));
    // Nothing is written, so every command can run at once (a few at a time: the machine is shared).
    const checks: { run: () => Promise<RunResult>; expect: string; theirs?: () => Promise<RunResult> }[] = [];
    for (const mode of ["client", "server"]) {
      const said = mode === "client" ? "(dry run)" : "(server dry run)";
      const same = [
        [["apply", "-f", dr2], `pod/dr2 created ${said}`],
        [["apply", "-f", web5], `deployment.apps/web configured ${said}`],
        [["create", "-f", dr2], `pod/dr2 created ${said}`],
        [["create", "namespace", "dry-ns"], `namespace/dry-ns created ${said}`],
        [["scale", "deploy/web", "--replicas=4"], `deployment.apps/web scaled ${said}`],
        [["label", "pod", "dr1", "tier=fe"], `pod/dr1 labeled ${said}`],
        [["label", "pod", "dr1", "app-"], `pod/dr1 unlabeled ${said}`],
        [["annotate", "pod/dr1", "note=x"], `pod/dr1 annotated ${said}`],
      ] as const;
      // kubectl sends a DELETE's dryRun inside DeleteOptions, k8ts on the query: both are honoured.
      const deletes = [
        [["delete", "pod", "dr1"], `pod "dr1" deleted ${said}`],
        [["delete", "pods", "-l", "app=dr1"], `pod "dr1" deleted ${said}`],
        [["delete", "-f", web], `deployment.apps "web" deleted ${said}`],
      ] as const;
      for (const [args, line] of [...same, ...deletes]) {
        const full = [...args, "-n", "dry", `--dry-run=${mode}`];
        checks.push({ run: () => h.k8ts(full), expect: `${line}\n`, theirs: () => h.kubectl(full) });
      }
      // Where k8ts says more than kubectl's "configured (dry run)": nothing to change.
      checks.push({
        run: () => h.k8ts(["apply", "-f", dr1, "-n", "dry", `--dry-run=${mode}`]),
        expect: `pod/dr1 unchanged ${said}\n`,
      });
    }
    const pending = [...checks];
    const worker = async () => {
      for (let c = pending.shift(); c; c = pending.shift()) {
        const [mine, theirs] = await Promise.all([ok(c.run()), c.theirs ? ok(c.theirs()) : undefined]);
        assert.equal(mine.stdout, c.expect);
        if (theirs) assert.equal(mine.stdout, theirs.stdout);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    // A dry run still fails where the real thing would.
    const stale = await h.k8ts([
      "scale",
      "deploy/web",
      "--replicas=2",
      "--current-replicas=3",
      "-n",
      "dry",
      "--dry-run=client",
    ]);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /Expected replicas to be 3, was 1/);
    const invalid = await h.k8ts([
      "create",
      "-f",
      f("bad", POD("Bad_Name")),
      "-n",
      "dry",
      "--dry-run=server",
    ]);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /is invalid/);
    const bad = await h.k8ts(["apply", "-f", dr1, "--dry-run=maybe"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Invalid dry-run value \(maybe\). Must be "none", "server", or "client"./);

    assert.equal(await revision(), before, "a dry run wrote to the cluster");
    assert.equal((await ok(h.k8ts(["get", "pods", "-n", "dry", "-o", "name"]))).stdout, "pod/dr1\n");
    const d = await h.client.get<Deployment>(resource("Deployment"), "web", { namespace: "dry" });
    assert.equal(d.spec?.replicas, 1);
    assert.equal((await h.k8ts(["get", "ns", "dry-ns"])).code, 1);
  });
});

describe("delete's DeleteOptions", () => {
  test("--cascade and --now send what kubectl sends", async () => {
    await h.namespace("cascade");
    const on = "\n  nodeName: gone-node";
    await ok(
      h.k8ts([
        "apply",
        "-n",
        "cascade",
        "-f",
        h.file(
          "cascade.yaml",
          `${POD("mine", on)}---\n${POD("theirs", on)}---\n${DEPLOY({ image: "busybox:1.36", replicas: 1 })}`,
        ),
      ]),
    );
    await ok(h.kubectl(["create", "deploy", "other", "--image=busybox:1.36", "-n", "cascade"]));
    // Nothing runs the garbage collector or the pods here: the deletions stay pending, readable.
    await ok(h.k8ts(["delete", "deploy", "web", "--cascade=orphan", "--wait=false", "-n", "cascade"]));
    await ok(h.kubectl(["delete", "deploy", "other", "--cascade=orphan", "--wait=false", "-n", "cascade"]));
    await ok(h.k8ts(["delete", "pod", "mine", "--now", "--wait=false", "-n", "cascade"]));
    await ok(h.kubectl(["delete", "pod", "theirs", "--now", "--wait=false", "-n", "cascade"]));
    const meta = async (type: string, name: string) =>
      JSON.parse((await ok(h.k8ts(["get", type, name, "-n", "cascade", "-o", "json"]))).stdout).metadata;
    const [web, other] = [await meta("deploy", "web"), await meta("deploy", "other")];
    assert.deepEqual(web.finalizers, ["orphan"]);
    assert.deepEqual(web.finalizers, other.finalizers);
    const [mine, theirs] = [await meta("pod", "mine"), await meta("pod", "theirs")];
    assert.equal(mine.deletionGracePeriodSeconds, 1);
    assert.equal(mine.deletionGracePeriodSeconds, theirs.deletionGracePeriodSeconds);
    const bad = await h.k8ts(["delete", "pod", "mine", "--cascade=sideways", "-n", "cascade"]);
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /invalid cascade value \(sideways\). Must be "background", "foreground", or "orphan"./,
    );
  });
});
