// Pod networking through the real CNI plugins (Debian's containernetworking-plugins), called the way
// containerd's CRI plugin calls them via libcni: each plugin of a network config list is executed
// with CNI_COMMAND=ADD and the previous plugin's result, and on teardown with DEL in reverse order and
// the cached ADD result. The node's network is a bridge with host-local IPAM on the pod CIDR plus
// portmap for hostPort; loopback is its own network, as in containerd.
// Start-up latency: loopback and the node network are added at the same time (they touch different
// interfaces); portmap runs only for pods with a hostPort (with none it does nothing but cost an exec
// and iptables calls); outbound masquerading is one rule per node (masquerade.ts), not the bridge
// plugin's per-pod ipMasq chain. The config list an ADD used is cached with its result, so DEL undoes
// exactly what ADD did, also for pods set up by an older shim.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PortMapping } from "../../../proto/runtime/v1/index.js";
import { masqueradeRule, NodeMasquerade } from "./masquerade.js";

export interface CniOptions {
  /** The node's pod CIDR, e.g. 10.88.1.0/24. */
  podCidr: string;
  /** The node's bridge device. */
  bridge: string;
  binDir: string;
  /** Where IPAM leases and cached ADD results are kept. */
  stateDir: string;
}

export interface PodNetwork {
  sandboxId: string;
  netnsPath: string;
  podName: string;
  podNamespace: string;
  portMappings: PortMapping[];
}

type NetConf = Record<string, unknown> & { type: string };
interface ConfList {
  cniVersion: string;
  name: string;
  plugins: NetConf[];
}

/** What an ADD leaves for its DEL (libcni caches the same). */
interface CachedAdd {
  list: ConfList;
  result: Record<string, unknown>;
}

const hostPorts = (pod: Pick<PodNetwork, "portMappings">) => pod.portMappings.filter((p) => p.hostPort);

/**
 * The node network for one pod: bridge + host-local, and portmap only when the pod maps a hostPort.
 * `legacy` is the list shims before the per-node masquerade rule used (per-pod ipMasq, portmap always),
 * for tearing down what they set up.
 */
export function nodeNetwork(o: CniOptions, pod: Pick<PodNetwork, "portMappings">, legacy = false): ConfList {
  const plugins: NetConf[] = [
    {
      type: "bridge",
      bridge: o.bridge,
      isGateway: true,
      ipMasq: legacy,
      hairpinMode: true,
      ipam: {
        type: "host-local",
        ranges: [[{ subnet: o.podCidr }]],
        routes: [{ dst: "0.0.0.0/0" }],
        dataDir: join(o.stateDir, "ipam"),
      },
    },
  ];
  if (legacy || hostPorts(pod).length > 0)
    plugins.push({ type: "portmap", capabilities: { portMappings: true }, snat: true });
  return { cniVersion: "1.0.0", name: "k8ts", plugins };
}

const loopbackNetwork: ConfList = {
  cniVersion: "1.0.0",
  name: "cni-loopback",
  plugins: [{ type: "loopback" }],
};

const protocols = ["tcp", "udp", "sctp"];

export class Cni {
  private readonly masquerade: NodeMasquerade;

  constructor(
    private readonly options: CniOptions,
    masquerade?: NodeMasquerade,
  ) {
    mkdirSync(join(options.stateDir, "results"), { recursive: true });
    const attached = readdirSync(join(options.stateDir, "results"))
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length));
    this.masquerade =
      masquerade ?? new NodeMasquerade(masqueradeRule(options.podCidr, options.bridge), attached);
  }

  /** Attaches the pod's namespace to loopback and the node network; returns the pod IP. */
  async add(pod: PodNetwork): Promise<string> {
    const list = nodeNetwork(this.options, pod);
    try {
      const [, result] = await Promise.all([
        this.addList(loopbackNetwork, pod, "lo"),
        this.addList(list, pod, "eth0"),
        this.masquerade.acquire(pod.sandboxId),
      ]);
      writeFileSync(this.resultFile(pod.sandboxId), JSON.stringify({ list, result } satisfies CachedAdd));
      const ips = (result.ips as { address: string }[] | undefined) ?? [];
      if (!ips[0]) throw new Error("CNI bridge gave the pod no IP address");
      return ips[0].address.split("/")[0]!;
    } catch (err) {
      // CNI: a failed ADD is followed by a DEL, so a plugin that got half-way frees what it took.
      await this.delList(list, pod, undefined).catch(() => {});
      await this.masquerade.release(pod.sandboxId).catch(() => {});
      throw err;
    }
  }

  /** Releases the pod's IP, port mappings and veth (CNI DEL). Does nothing if ADD never finished. */
  async del(pod: PodNetwork): Promise<void> {
    const cached = this.cachedAdd(pod.sandboxId);
    if (cached) {
      await this.delList(cached.list, pod, cached.result);
      for (const plugin of loopbackNetwork.plugins)
        await this.exec("DEL", this.pluginConf(loopbackNetwork, plugin, pod, undefined), pod, "lo");
      rmSync(this.resultFile(pod.sandboxId), { force: true });
    }
    await this.masquerade.release(pod.sandboxId);
  }

  private cachedAdd(sandboxId: string): CachedAdd | undefined {
    let cached: Record<string, unknown>;
    try {
      cached = JSON.parse(readFileSync(this.resultFile(sandboxId), "utf8"));
    } catch {
      return undefined;
    }
    // Before the config list was cached, the file held the bare result of the legacy list.
    if (cached.list && cached.result) return cached as unknown as CachedAdd;
    return { list: nodeNetwork(this.options, { portMappings: [] }, true), result: cached };
  }

  private async delList(list: ConfList, pod: PodNetwork, prevResult: unknown): Promise<void> {
    for (const plugin of [...list.plugins].reverse())
      await this.exec("DEL", this.pluginConf(list, plugin, pod, prevResult), pod, "eth0");
  }

  private async addList(list: ConfList, pod: PodNetwork, ifName: string): Promise<Record<string, unknown>> {
    let prev: Record<string, unknown> | undefined;
    for (const plugin of list.plugins)
      prev = await this.exec("ADD", this.pluginConf(list, plugin, pod, prev), pod, ifName);
    return prev ?? {};
  }

  private pluginConf(
    list: ConfList,
    plugin: NetConf,
    pod: PodNetwork,
    prevResult: unknown,
  ): Record<string, unknown> {
    const conf: Record<string, unknown> = { ...plugin, cniVersion: list.cniVersion, name: list.name };
    delete conf.capabilities;
    if (prevResult) conf.prevResult = prevResult;
    const caps = plugin.capabilities as Record<string, boolean> | undefined;
    if (caps?.portMappings)
      conf.runtimeConfig = {
        portMappings: hostPorts(pod).map((p) => ({
          hostPort: p.hostPort,
          containerPort: p.containerPort,
          protocol: protocols[p.protocol ?? 0],
          ...(p.hostIp ? { hostIP: p.hostIp } : {}),
        })),
      };
    return conf;
  }

  private exec(command: "ADD" | "DEL", conf: Record<string, unknown>, pod: PodNetwork, ifName: string) {
    const type = String(conf.type);
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const child = spawn(join(this.options.binDir, type), [], {
        env: {
          PATH: process.env.PATH,
          CNI_COMMAND: command,
          CNI_CONTAINERID: pod.sandboxId,
          CNI_NETNS: pod.netnsPath,
          CNI_IFNAME: ifName,
          CNI_PATH: this.options.binDir,
          CNI_ARGS: `IgnoreUnknown=1;K8S_POD_NAMESPACE=${pod.podNamespace};K8S_POD_NAME=${pod.podName};K8S_POD_INFRA_CONTAINER_ID=${pod.sandboxId}`,
        },
        stdio: ["pipe", "pipe", "pipe"],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (b: Buffer) => out.push(b));
      child.stderr.on("data", (b: Buffer) => err.push(b));
      child.on("error", (e) => reject(new Error(`CNI plugin ${type}: ${e.message}`)));
      child.on("close", (code) => {
        const text = Buffer.concat(out).toString();
        if (code === 0) return resolve(text.trim() ? JSON.parse(text) : {});
        let msg = Buffer.concat(err).toString().trim() || text;
        try {
          const e = JSON.parse(text) as { msg?: string; details?: string };
          msg = [e.msg, e.details].filter(Boolean).join(": ");
        } catch {}
        reject(new Error(`CNI ${command} with plugin ${type} failed: ${msg}`));
      });
      child.stdin.end(JSON.stringify(conf));
    });
  }

  private resultFile(sandboxId: string): string {
    return join(this.options.stateDir, "results", `${sandboxId}.json`);
  }
}
