// The built-in "busybox" image, made from the host's static busybox (Debian's busybox-static), so a
// fresh node can run pods without any registry: /bin/busybox, a link per applet at the path busybox
// itself reports (sh, sleep, httpd, wget, nc, ...), a minimal /etc, and an empty /tmp, /proc, /dev, /sys.
// The layer tar is built reproducibly (sorted names, fixed mtime, root owner), so its digest depends
// only on the busybox binary.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ImageStore, LocalImage } from "./image-store.js";

export const busyboxReference = "docker.io/library/busybox:latest";
const hostBusybox = "/bin/busybox";

export function buildBusyboxImage(store: ImageStore, busybox = hostBusybox): LocalImage {
  const staging = mkdtempSync(join(tmpdir(), "k8ts-busybox-"));
  try {
    const rootfs = join(staging, "rootfs");
    for (const d of ["bin", "etc", "tmp", "proc", "dev", "sys", "root", "home", "var/www"])
      mkdirSync(join(rootfs, d), { recursive: true });
    chmodSync(join(rootfs, "tmp"), 0o1777);
    copyFileSync(busybox, join(rootfs, "bin/busybox"));
    chmodSync(join(rootfs, "bin/busybox"), 0o755);
    const applets = execFileSync(busybox, ["--list-full"], { encoding: "utf8" }).split("\n").filter(Boolean);
    for (const path of applets) {
      if (path === "bin/busybox") continue;
      mkdirSync(join(rootfs, dirname(path)), { recursive: true });
      symlinkSync("/bin/busybox", join(rootfs, path));
    }
    writeFileSync(
      join(rootfs, "etc/passwd"),
      "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n",
    );
    writeFileSync(join(rootfs, "etc/group"), "root:x:0:\nnobody:x:65534:\n");
    writeFileSync(join(rootfs, "etc/hostname"), "busybox\n");

    const tarFile = join(staging, "layer.tar");
    execFileSync("tar", [
      "--create",
      "--file",
      tarFile,
      "--directory",
      rootfs,
      "--sort=name",
      "--mtime=@0",
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      ".",
    ]);
    const tar = readFileSync(tarFile);
    const diffId = `sha256:${createHash("sha256").update(tar).digest("hex")}`;
    const gz = execFileSync("gzip", ["-n", "-c", tarFile], { maxBuffer: 64 << 20 });
    const layer = store.putBlob("application/vnd.oci.image.layer.v1.tar+gzip", gz);
    const config = store.putBlob(
      "application/vnd.oci.image.config.v1+json",
      Buffer.from(
        JSON.stringify({
          architecture: process.arch === "x64" ? "amd64" : process.arch,
          os: "linux",
          config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"] },
          rootfs: { type: "layers", diff_ids: [diffId] },
        }),
      ),
    );
    const manifest = store.putBlob(
      "application/vnd.oci.image.manifest.v1+json",
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          config,
          layers: [layer],
        }),
      ),
    );
    store.tag(manifest, busyboxReference);
    return store.get(busyboxReference);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
