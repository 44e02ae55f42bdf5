// `k8ts logs` of several containers and pods as a user runs it, side by side with the real kubectl:
// both as processes against a real API server process on a real etcd, which relays pods/log to a
// stand-in node agent (canned lines; the real node agent has its own tests).

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type CliHarness, ok, POD, startCliHarness } from "./cli-harness.js";
import { type FakeNodeAgent, fakeAgentNode, startFakeNodeAgent } from "./fake-node-agent.js";

let h: CliHarness;
let agent: FakeNodeAgent;
before(async () => {
  h = await startCliHarness();
  agent = await startFakeNodeAgent();
  await ok(h.k8ts(["create", "-f", h.file("node.json", JSON.stringify(fakeAgentNode(agent)))]));
  await h.namespace("on-node");
  const twoContainers = `${POD("lp", "\n  nodeName: agent-node")}  - name: side\n    image: busybox:1.36\n`;
  await ok(h.k8ts(["apply", "-n", "on-node", "-f", h.file("lp.yaml", twoContainers)]));
});
after(async () => {
  await agent?.close();
  await h?.stop();
});

describe("logs of several containers and pods", () => {
  test("logs --all-containers, -l, --prefix and -f of several pods print what kubectl prints", async () => {
    const withInit = POD(
      "li",
      "\n  nodeName: agent-node\n  initContainers:\n  - name: setup\n    image: busybox:1.36",
    );
    await ok(h.k8ts(["apply", "-n", "on-node", "-f", h.file("li.yaml", withInit)]));
    const both = "app in (lp,li)";
    // kubectl reads several logs in Go map order (a different order each run); k8ts goes pod by pod
    // in list order, init containers first. Several logs are compared as the same lines, sorted.
    const sorted = (s: string) => s.split("\n").sort().join("\n");
    for (const [several, args] of [
      [true, ["logs", "lp", "--all-containers"]],
      [true, ["logs", "li", "--all-containers", "--prefix"]],
      [false, ["logs", "li"]],
      [true, ["logs", "-l", both, "--prefix"]],
      [true, ["logs", "-l", both, "--all-containers", "--prefix", "--tail=2"]],
      [false, ["logs", "-l", "app=nothing"]],
    ] as const) {
      const [mine, theirs] = await Promise.all([
        ok(h.k8ts([...args, "-n", "on-node"])),
        ok(h.kubectl([...args, "-n", "on-node"])),
      ]);
      const same = several ? sorted : (s: string) => s;
      assert.equal(same(mine.stdout), same(theirs.stdout), args.join(" "));
      assert.equal(same(mine.stderr), same(theirs.stderr), args.join(" "));
    }
    const ordered = await ok(
      h.k8ts(["logs", "-l", both, "--all-containers", "--prefix", "--tail=1", "-n", "on-node"]),
    );
    assert.equal(
      ordered.stdout,
      ["li/setup", "li/main", "lp/main", "lp/side"].map((c) => `[pod/${c}] line three\n`).join(""),
    );
    const asked = (container: string, query: string) =>
      agent.requests.some((p) => p.startsWith(`/containerLogs/on-node/${container}?`) && p.includes(query));
    assert.ok(asked("li/setup", ""), "the init container's log was asked for");
    assert.ok(asked("li/main", "tailLines=10"), "-l defaults to the last 10 lines");
    // Followed side by side: the same lines, in whatever order the streams delivered them.
    const follow = ["logs", "-l", both, "-f", "--prefix", "-c", "main", "-n", "on-node"];
    const f = await ok(h.k8ts(follow));
    assert.equal(sorted(f.stdout), sorted((await ok(h.kubectl(follow))).stdout));
    assert.match(f.stdout, /^\[pod\/li\/main\] line one$/m);
    const tooMany = [...follow, "--all-containers", "--max-log-requests=2"].filter(
      (a) => a !== "-c" && a !== "main",
    );
    const refused = await h.k8ts(tooMany);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `${(await h.kubectl(tooMany)).stderr.split("\n")[0]}\n`);
    const both2 = await h.k8ts(["logs", "lp", "-l", "app=lp", "-n", "on-node"]);
    assert.equal(both2.code, 1);
    assert.match(both2.stderr, /only a selector \(-l\) or a POD name is allowed/);
  });
});
