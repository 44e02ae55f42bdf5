// Outbound NAT for the node's pods: one iptables rule per node network instead of the bridge plugin's
// ipMasq, which adds a chain and three rules per pod (nine `iptables` runs on ADD, eight on DEL, each
// waiting for the xtables lock, so a burst of pods queued behind one another). The rule masquerades
// what pods send beyond the pod CIDR, except multicast: what ipMasq does per pod, for all pods at once
// (flannel and kubenet set up pod masquerading per node the same way).
//
// The rule exists while the node network has pods: the first sandbox installs it, the last one removed
// takes it away, so a stopped shim leaves no rule behind, as the per-pod chains left none.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The POSTROUTING rule (without -A/-C/-D) for a node network, named by its bridge in a comment. */
export function masqueradeRule(podCidr: string, bridge: string): string[] {
  return [
    "-t",
    "nat",
    "POSTROUTING",
    "-s",
    podCidr,
    "!",
    "-d",
    podCidr,
    "-m",
    "addrtype",
    "!",
    "--dst-type",
    "MULTICAST",
    "-m",
    "comment",
    "--comment",
    `k8ts pods on ${bridge}`,
    "-j",
    "MASQUERADE",
  ];
}

/** iptables arguments for one operation on the rule: -C (check), -A (append) or -D (delete). */
export function ruleCommand(op: "-C" | "-A" | "-D", rule: string[]): string[] {
  // "-t nat" stays first; the operation and chain follow it.
  return [...rule.slice(0, 2), "--wait", op, ...rule.slice(2)];
}

export type Iptables = (args: string[]) => Promise<void>;

const iptables: Iptables = async (args) => {
  await run("iptables", args);
};

/**
 * Reference-counts the pods that use the node network and keeps the rule in place while there is
 * one. Installing and removing run one after another, in the order asked, so a pod that joins while
 * the last one leaves still finds the rule.
 */
export class NodeMasquerade {
  private readonly users: Set<string>;
  /** Whether the rule is in place; undefined until checked (a previous shim may have left it). */
  private installed: boolean | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly rule: string[],
    users: Iterable<string>,
    private readonly exec: Iptables = iptables,
  ) {
    this.users = new Set(users);
  }

  /** The pod `id` is on the node network: make sure its traffic out is masqueraded. */
  acquire(id: string): Promise<void> {
    this.users.add(id);
    return this.serial(async () => {
      if (this.installed) return;
      const present = await this.exec(ruleCommand("-C", this.rule)).then(
        () => true,
        () => false,
      );
      if (!present) await this.exec(ruleCommand("-A", this.rule));
      this.installed = true;
    });
  }

  /** The pod `id` left the node network; the last one to leave removes the rule. */
  release(id: string): Promise<void> {
    if (!this.users.delete(id)) return this.queue;
    return this.serial(async () => {
      if (this.users.size > 0 || this.installed === false) return;
      // -D removes one copy; loop in case an earlier run appended it twice.
      for (;;) {
        const gone = await this.exec(ruleCommand("-D", this.rule)).then(
          () => false,
          () => true,
        );
        if (gone) break;
      }
      this.installed = false;
    });
  }

  private serial(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => {});
    return next;
  }
}
