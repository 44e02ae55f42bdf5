import assert from "node:assert/strict";
import { test } from "node:test";
import { masqueradeRule, NodeMasquerade, ruleCommand } from "./masquerade.js";

const rule = masqueradeRule("10.88.1.0/24", "k8ts0");

/** A fake iptables holding one chain's copies of the rule. */
function fakeIptables() {
  const calls: string[] = [];
  let copies = 0;
  const exec = async (args: string[]) => {
    const op = args[3]!;
    calls.push(op);
    if (op === "-A") copies++;
    else if (copies === 0) throw new Error("iptables: Bad rule (does a matching rule exist in that chain?)");
    else if (op === "-D") copies--;
  };
  return { exec, calls, copies: () => copies };
}

test("the rule masquerades the pod CIDR's traffic beyond it, not multicast, named by the bridge", () => {
  assert.equal(
    ruleCommand("-A", rule).join(" "),
    "-t nat --wait -A POSTROUTING -s 10.88.1.0/24 ! -d 10.88.1.0/24 -m addrtype ! --dst-type MULTICAST " +
      "-m comment --comment k8ts pods on k8ts0 -j MASQUERADE",
  );
});

test("the first pod installs the rule once, the last one to leave removes it", async () => {
  const ipt = fakeIptables();
  const m = new NodeMasquerade(rule, [], ipt.exec);
  await Promise.all([m.acquire("a"), m.acquire("b"), m.acquire("c")]);
  assert.equal(ipt.copies(), 1);
  assert.deepEqual(ipt.calls, ["-C", "-A"], "checked and added once; later pods cost no iptables run");
  await m.release("a");
  await m.release("b");
  assert.equal(ipt.copies(), 1, "still in place while a pod is left");
  await m.release("c");
  assert.equal(ipt.copies(), 0);
  await m.release("c");
  assert.equal(ipt.copies(), 0, "releasing twice (stop, then remove) is harmless");
});

test("a pod joining while the last one leaves still finds the rule", async () => {
  const ipt = fakeIptables();
  const m = new NodeMasquerade(rule, [], ipt.exec);
  await m.acquire("a");
  const leaving = m.release("a");
  const joining = m.acquire("b");
  await Promise.all([leaving, joining]);
  assert.equal(ipt.copies(), 1);
});

test("pods already attached when the shim starts keep the rule, and one left by an earlier shim is not added twice", async () => {
  const ipt = fakeIptables();
  await ipt.exec(ruleCommand("-A", rule));
  const m = new NodeMasquerade(rule, ["old"], ipt.exec);
  await m.acquire("new");
  assert.equal(ipt.copies(), 1);
  await m.release("new");
  assert.equal(ipt.copies(), 1, "the pod from before the restart still uses it");
  await m.release("old");
  assert.equal(ipt.copies(), 0);
});
