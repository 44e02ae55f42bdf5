// The runc backend: the shared conformance suite, plus what only real isolation can show —
// the memory limit OOM-kills (exit 137, reason OOMKilled), the pod's containers share a network
// namespace, volumes are shared and read-only where asked, and the rootfs is an overlay of the image's.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ContainerState, NamespaceMode } from "../../../proto/runtime/v1/index.js";
import { startRuntimeShim, type TestRuntimeShim, waitFor } from "../../../testing/index.js";
import { backendConformance } from "../backend.case.js";

backendConformance("runc");

describe("runc backend: isolation and limits", () => {
  let shim: TestRuntimeShim;
  let pod: string;

  before(async () => {
    shim = await startRuntimeShim({ backend: "runc" });
    await shim.image.PullImage({ image: { image: "busybox" } });
    pod = (
      await shim.runtime.RunPodSandbox({
        config: {
          metadata: { name: "iso", namespace: "default", uid: "iso-uid" },
          hostname: "iso-host",
          logDirectory: join(shim.dir, "logs"),
        },
      })
    ).podSandboxId!;
  });
  after(async () => {
    await shim?.stop();
  });

  async function run(name: string, command: string[], extra: object = {}, inPod = pod): Promise<string> {
    const { containerId } = await shim.runtime.CreateContainer({
      podSandboxId: inPod,
      config: { metadata: { name }, image: { image: "busybox" }, command, logPath: `${name}.log`, ...extra },
    });
    await shim.runtime.StartContainer({ containerId });
    return containerId!;
  }

  const masquerade = () =>
    execFileSync("iptables", ["-t", "nat", "-S", "POSTROUTING"], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.includes(`k8ts pods on ${shim.bridge}`));

  const exited = (id: string) =>
    waitFor(
      async () => {
        const s = (await shim.runtime.ContainerStatus({ containerId: id })).status!;
        return s.state === ContainerState.CONTAINER_EXITED ? s : undefined;
      },
      { timeoutMs: 20_000, what: `container ${id} to exit` },
    );

  test("over the memory limit the container is OOM-killed: exit 137, reason OOMKilled", async () => {
    // Reading /dev/zero through `tail` buffers everything, since there is no newline: memory grows
    // until the 16 MiB limit is hit.
    const id = await run("hog", ["sh", "-c", "tail /dev/zero"], {
      linux: { resources: { memoryLimitInBytes: 16 * 1024 * 1024 } },
    });
    const s = await exited(id);
    assert.equal(s.exitCode, 137);
    assert.equal(s.reason, "OOMKilled");
  });

  test("the pod's containers share one network namespace, not the host's; the rootfs is the image's", async () => {
    const server = await run("server", [
      "sh",
      "-c",
      "echo pong > /var/www/index.html; exec httpd -f -p 8080 -h /var/www",
    ]);
    const client = await run("client", ["sleep", "1000"]);
    const r = await waitFor(
      async () => {
        const out = await shim.runtime.ExecSync({
          containerId: client,
          cmd: ["wget", "-q", "-O", "-", "http://127.0.0.1:8080/"],
          timeout: 5,
        });
        return Buffer.from(out.stdout!).toString().includes("pong") ? out : undefined;
      },
      { timeoutMs: 10_000, what: "the server container to answer on the pod's loopback" },
    );
    assert.equal(r.exitCode, 0);
    const hostname = await shim.runtime.ExecSync({ containerId: server, cmd: ["hostname"] });
    assert.equal(Buffer.from(hostname.stdout!).toString().trim(), "iso-host");
    const links = await shim.runtime.ExecSync({ containerId: server, cmd: ["ip", "-o", "link"] });
    assert.deepEqual(
      Buffer.from(links.stdout!)
        .toString()
        .trim()
        .split("\n")
        .map((l) => l.split(":")[1]!.trim().split("@")[0]),
      ["lo", "eth0"],
      "a pod sees its own loopback and the CNI veth, not the host's interfaces",
    );
    const os = await shim.runtime.ExecSync({
      containerId: server,
      cmd: ["ls", "/bin/busybox", "/usr/bin/wget"],
    });
    assert.equal(os.exitCode, 0);
    const hostDir = await shim.runtime.ExecSync({ containerId: server, cmd: ["ls", shim.dir] });
    assert.notEqual(hostDir.exitCode, 0, "the host's files are not visible in the container");
    // An overlay over the image (this machine has overlayfs), not a copy of it: the server's write
    // went to its own upper layer, and the client container does not see it.
    const root = await shim.runtime.ExecSync({ containerId: server, cmd: ["grep", " / ", "/proc/mounts"] });
    assert.match(Buffer.from(root.stdout!).toString(), /^overlay \/ overlay /m);
    const other = await shim.runtime.ExecSync({ containerId: client, cmd: ["ls", "/var/www/index.html"] });
    assert.notEqual(other.exitCode, 0, "one container's writes stay in its own layer");
  });

  test("volumes: a shared directory between containers, read-only where asked", async () => {
    const vol = join(shim.dir, "vol");
    mkdirSync(vol);
    writeFileSync(join(vol, "seed"), "from host\n");
    const mounts = (readonly: boolean) => ({ mounts: [{ containerPath: "/data", hostPath: vol, readonly }] });
    const writer = await run("writer", ["sh", "-c", "echo written > /data/out; sleep 1000"], mounts(false));
    const reader = await run("reader", ["sleep", "1000"], mounts(true));
    const read = await waitFor(
      async () => {
        const r = await shim.runtime.ExecSync({
          containerId: reader,
          cmd: ["cat", "/data/out", "/data/seed"],
        });
        return r.exitCode === 0 ? Buffer.from(r.stdout!).toString() : undefined;
      },
      { timeoutMs: 10_000, what: "the reader to see the writer's file" },
    );
    assert.equal(read, "written\nfrom host\n");
    const denied = await shim.runtime.ExecSync({
      containerId: reader,
      cmd: ["sh", "-c", "echo x > /data/y"],
    });
    assert.notEqual(denied.exitCode, 0, "a read-only mount refuses writes");
    assert.match(Buffer.from(denied.stderr!).toString(), /Read-only file system/);
    await shim.runtime.StopContainer({ containerId: writer, timeout: 0 });
  });

  test("pod networking: each pod gets an IP from the pod CIDR, pods reach each other on the same port, hostPort maps, DEL frees it all", async () => {
    const web = async (name: string, hostPort = 0) => {
      const { podSandboxId } = await shim.runtime.RunPodSandbox({
        config: {
          metadata: { name, namespace: "default", uid: `${name}-uid` },
          logDirectory: join(shim.dir, "logs"),
          portMappings: hostPort ? [{ containerPort: 8080, hostPort }] : [],
        },
      });
      const ctr = await run(
        "web",
        ["sh", "-c", `echo ${name} > /var/www/index.html; exec httpd -f -p 8080 -h /var/www`],
        {},
        podSandboxId,
      );
      const { status } = await shim.runtime.PodSandboxStatus({ podSandboxId });
      return { pod: podSandboxId!, ctr, ip: status!.network!.ip! };
    };
    const bridgePorts = () =>
      execFileSync("ip", ["-o", "link", "show", "master", shim.bridge], { encoding: "utf8" });
    const portsBefore = bridgePorts();
    const hostPort = 20000 + Math.floor(Math.random() * 20000);
    const a = await web("net-a");
    const b = await web("net-b", hostPort);
    const prefix = shim.podCidr.split(".").slice(0, 3).join(".");
    assert.ok(
      a.ip.startsWith(`${prefix}.`) && b.ip.startsWith(`${prefix}.`),
      `${a.ip}, ${b.ip} in ${shim.podCidr}`,
    );
    assert.notEqual(a.ip, b.ip);
    assert.equal(masquerade().length, 1, "one masquerade rule for the node's pods, not one per pod");
    assert.match(masquerade()[0]!, new RegExp(`-s ${shim.podCidr.replace(/\./g, "\\.")} ! -d`));

    const get = (from: string, url: string) =>
      waitFor(
        async () => {
          const r = await shim.runtime.ExecSync({
            containerId: from,
            cmd: ["wget", "-q", "-O", "-", url],
            timeout: 5,
          });
          return r.exitCode === 0 ? Buffer.from(r.stdout!).toString().trim() : undefined;
        },
        { timeoutMs: 10_000, what: `${url} to answer` },
      );
    assert.equal(await get(a.ctr, `http://${b.ip}:8080/`), "net-b");
    assert.equal(await get(b.ctr, `http://${a.ip}:8080/`), "net-a");

    // hostPort: the node's address (the bridge gateway) forwards to pod b.
    const gateway = `${prefix}.1`;
    const viaHost = await waitFor(
      async () => {
        const res = await fetch(`http://${gateway}:${hostPort}/`, { signal: AbortSignal.timeout(2000) });
        return res.ok ? (await res.text()).trim() : undefined;
      },
      { timeoutMs: 10_000, what: "the hostPort to answer" },
    );
    assert.equal(viaHost, "net-b");

    for (const p of [a, b]) await shim.runtime.RemovePodSandbox({ podSandboxId: p.pod });
    assert.equal(bridgePorts(), portsBefore, "the pods' veths are gone from the bridge");
    const leases = readdirSync(join(shim.root, "cni", "ipam", "k8ts"));
    assert.ok(!leases.includes(a.ip) && !leases.includes(b.ip), `IPs released (left: ${leases.join(", ")})`);
    const nat = execFileSync("iptables", ["-t", "nat", "-S"], { encoding: "utf8" });
    assert.ok(!nat.includes(`--dport ${hostPort}`), "the hostPort rule is removed");
    assert.equal(masquerade().length, 1, "kept while this suite's first pod is still on the node network");
  });

  test("security context: runAsUser/runAsGroup, read-only root, dropped capabilities; hostNetwork sees the node's interfaces", async () => {
    const restricted = await run("restricted", ["sleep", "1000"], {
      linux: {
        securityContext: {
          runAsUser: { value: 1000 },
          runAsGroup: { value: 3000 },
          readonlyRootfs: true,
          noNewPrivs: true,
          capabilities: { dropCapabilities: ["ALL"] },
        },
      },
    });
    const sh = async (id: string, script: string) => {
      const r = await shim.runtime.ExecSync({ containerId: id, cmd: ["sh", "-c", script] });
      return {
        code: r.exitCode,
        out: Buffer.from(r.stdout!).toString().trim(),
        err: Buffer.from(r.stderr!).toString(),
      };
    };
    assert.equal((await sh(restricted, "id -u; id -g")).out, "1000\n3000");
    const write = await sh(restricted, "touch /new-file");
    assert.notEqual(write.code, 0);
    assert.match(write.err, /Read-only file system/);
    assert.equal((await sh(restricted, "grep CapEff /proc/self/status")).out, "CapEff:\t0000000000000000");
    assert.equal((await sh(restricted, "grep NoNewPrivs /proc/self/status")).out, "NoNewPrivs:\t1");

    const root = await run("default-caps", ["sleep", "1000"]);
    const caps = (await sh(root, "grep CapEff /proc/self/status")).out;
    assert.notEqual(caps, "CapEff:\t0000000000000000", "the default set is not empty");
    const netAdmin = await sh(root, "ip link add dummy0 type dummy");
    assert.notEqual(netAdmin.code, 0, "NET_ADMIN is not in the default set");

    const { podSandboxId } = await shim.runtime.RunPodSandbox({
      config: {
        metadata: { name: "hostnet", namespace: "default", uid: "hostnet-uid" },
        logDirectory: join(shim.dir, "logs"),
        linux: { securityContext: { namespaceOptions: { network: NamespaceMode.NODE } } },
      },
    });
    const status = await shim.runtime.PodSandboxStatus({ podSandboxId });
    assert.equal(status.status?.linux?.namespaces?.options?.network, NamespaceMode.NODE);
    const host = await run("on-host", ["sleep", "1000"], {}, podSandboxId);
    // The shim's CNI bridge exists only in the node's namespace.
    assert.match(
      (await sh(host, "ip -o link")).out,
      new RegExp(`: ${shim.bridge}:`),
      "a hostNetwork pod sees the node's interfaces",
    );
  });

  test("removing the node's last pod leaves no outbound NAT rule behind", async () => {
    assert.equal(masquerade().length, 1);
    for (const s of (await shim.runtime.ListPodSandbox({})).items ?? [])
      await shim.runtime.RemovePodSandbox({ podSandboxId: s.id });
    assert.deepEqual(masquerade(), []);
  });
});
